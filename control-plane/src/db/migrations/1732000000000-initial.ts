import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables both planes share. The data plane reads keys, plans and credentials and writes outcomes. */
export class Initial1732000000000 implements MigrationInterface {
  name = 'Initial1732000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      );
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        name text NOT NULL,
        lookup text NOT NULL UNIQUE,
        hash text NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      );
      CREATE TABLE credentials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        name text NOT NULL,
        kind text NOT NULL,
        secret_ciphertext text NOT NULL,
        key_id text NOT NULL,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      );
      CREATE INDEX credentials_tenant ON credentials (tenant_id, created_at);
      CREATE TABLE syncs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        project_id uuid NOT NULL REFERENCES projects(id),
        name text NOT NULL,
        active_version int,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX syncs_tenant ON syncs (tenant_id, created_at);
      CREATE TABLE sync_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sync_id uuid NOT NULL REFERENCES syncs(id),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        version int NOT NULL,
        state text NOT NULL CHECK (state IN ('draft', 'active', 'inactive')),
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        UNIQUE (sync_id, version)
      );
      CREATE TABLE sync_plans (
        sync_id uuid NOT NULL REFERENCES syncs(id),
        version int NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        plan bytea NOT NULL,
        compiled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sync_id, version)
      );
      CREATE TABLE inbound_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        project_id uuid NOT NULL REFERENCES projects(id),
        sync_id uuid NOT NULL REFERENCES syncs(id),
        name text NOT NULL,
        lookup text NOT NULL UNIQUE,
        hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE TABLE delivery_attempts (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        sync_id uuid NOT NULL,
        sync_version int NOT NULL,
        attempt int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'dead_lettered')),
        entity_id text,
        target_status int,
        duration_ms int NOT NULL,
        error text,
        trace_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (event_id, attempt)
      );
      CREATE INDEX delivery_attempts_sync ON delivery_attempts (tenant_id, sync_id, id DESC);
      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL UNIQUE,
        tenant_id uuid NOT NULL,
        sync_id uuid NOT NULL,
        sync_version int NOT NULL,
        reason text NOT NULL,
        attempts int NOT NULL,
        last_status int,
        last_response text,
        trace_id text,
        event bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX dead_letters_sync ON dead_letters (tenant_id, sync_id, created_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letters, delivery_attempts, inbound_keys, sync_plans, sync_versions,
      syncs, credentials, api_tokens, projects, tenants`);
  }
}
