import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook destinations (the webhooks guide's outgoing change-log webhooks), their signing secrets
 * (sealed, several active during a rotation), the batches sent to them (delivery log, and dead
 * letters to replay), and the business event types a tenant declares with a JSON Schema.
 */
export class WebhookDestinations1732700000000 implements MigrationInterface {
  name = 'WebhookDestinations1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE destinations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        name text NOT NULL,
        url text NOT NULL,
        -- Custom headers may carry credentials: sealed as one JSON object; only the names are shown.
        headers_ciphertext text,
        headers_key_id text,
        header_names text[] NOT NULL DEFAULT '{}',
        timeout_ms int NOT NULL,
        resource_types text[] NOT NULL DEFAULT '{}',
        event_types text[] NOT NULL DEFAULT '{}',
        hmac_header text NOT NULL,
        batch_max_events int NOT NULL,
        batch_max_wait_ms int NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX destinations_tenant ON destinations (tenant_id, created_at);
      CREATE TABLE destination_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        destination_id uuid NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
        secret_ciphertext text NOT NULL,
        key_id text NOT NULL,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      );
      CREATE INDEX destination_secrets_destination ON destination_secrets (destination_id);
      CREATE TABLE destination_batches (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        destination_id uuid NOT NULL,
        stream text NOT NULL,
        resource_type text NOT NULL,
        event_count int NOT NULL,
        events jsonb NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'dead_lettered')),
        attempts int NOT NULL,
        last_status int,
        last_error text,
        duration_ms int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX destination_batches_destination ON destination_batches (tenant_id, destination_id, created_at);
      CREATE TABLE event_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        schema jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_types; DROP TABLE destination_batches; DROP TABLE destination_secrets; DROP TABLE destinations;`);
  }
}
