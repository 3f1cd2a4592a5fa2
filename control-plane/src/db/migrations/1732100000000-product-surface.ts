import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 4: tokens with scopes, idempotency, audit, key rotation, inbound signatures, templates, defaults. */
export class ProductSurface1732100000000 implements MigrationInterface {
  name = 'ProductSurface1732100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants ADD COLUMN defaults jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE projects ADD COLUMN defaults jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE credentials
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN rotated_at timestamptz,
        ADD COLUMN last_test jsonb;
      ALTER TABLE inbound_keys ADD COLUMN expires_at timestamptz;
      ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
      ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
        CHECK (outcome IN ('delivered', 'retrying', 'dead_lettered', 'filtered'));
      ALTER TABLE syncs ADD COLUMN signature jsonb;
      CREATE TABLE sync_signature_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        sync_id uuid NOT NULL REFERENCES syncs(id),
        secret_ciphertext text NOT NULL,
        key_id text NOT NULL,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      );
      CREATE INDEX sync_signature_secrets_sync ON sync_signature_secrets (sync_id);
      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        operation text NOT NULL,
        request_hash text NOT NULL,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      );
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid,
        actor text NOT NULL,
        token_id uuid,
        operation text NOT NULL,
        outcome text NOT NULL,
        target_type text,
        target_id text,
        input jsonb,
        before jsonb,
        after jsonb,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_log_tenant ON audit_log (tenant_id, created_at DESC);
      CREATE TABLE sync_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        parameters jsonb NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sync_templates_tenant ON sync_templates (tenant_id, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sync_templates, audit_log, idempotency_keys, sync_signature_secrets;
      ALTER TABLE syncs DROP COLUMN signature;
      ALTER TABLE inbound_keys DROP COLUMN expires_at;
      ALTER TABLE credentials DROP COLUMN status, DROP COLUMN expires_at, DROP COLUMN rotated_at, DROP COLUMN last_test;
      ALTER TABLE projects DROP COLUMN defaults;
      ALTER TABLE tenants DROP COLUMN defaults;
    `);
  }
}
