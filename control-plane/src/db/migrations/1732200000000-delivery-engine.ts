import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, the delivery engine: change detection, per-entity leases, shared circuit breakers and
 * rate limits per target, and why a credential is failing. Written by the data plane with plain SQL.
 */
export class DeliveryEngine1732200000000 implements MigrationInterface {
  name = 'DeliveryEngine1732200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
      ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
        CHECK (outcome IN ('delivered', 'retrying', 'dead_lettered', 'filtered', 'unchanged', 'superseded'));
      ALTER TABLE delivery_attempts ADD COLUMN target text;
      ALTER TABLE credentials ADD COLUMN status_reason text, ADD COLUMN status_changed_at timestamptz;

      -- SHA-256 of the canonical mapped payload last delivered per (sync, entity); written only after
      -- a successful delivery. A different sync_version counts as changed (a new version resets it).
      CREATE TABLE delivery_fingerprints (
        sync_id uuid NOT NULL,
        entity_key text NOT NULL,
        sync_version int NOT NULL,
        hash text NOT NULL,
        received_at_ms bigint NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sync_id, entity_key)
      );

      -- At most one delivery per (sync, entity) at a time across all workers. Unlogged: a lease is
      -- worthless after a crash (it expires anyway).
      CREATE UNLOGGED TABLE entity_leases (
        sync_id uuid NOT NULL,
        entity_key text NOT NULL,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (sync_id, entity_key)
      );

      -- One circuit breaker per target (host + credential), shared by every worker.
      CREATE TABLE target_circuits (
        target text PRIMARY KEY,
        tenant_id uuid,
        host text NOT NULL,
        credential_id uuid,
        state text NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'half_open')),
        failures int NOT NULL DEFAULT 0,
        window_started_at timestamptz,
        last_failure text,
        opened_at timestamptz,
        half_opened_at timestamptz,
        closed_at timestamptz,
        probe_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX target_circuits_tenant ON target_circuits (tenant_id, host);

      -- One token bucket per target, shared by every worker; workers lease tokens in batches.
      CREATE TABLE target_rate_buckets (
        target text PRIMARY KEY,
        tenant_id uuid,
        host text NOT NULL,
        credential_id uuid,
        rate_per_sec double precision NOT NULL,
        burst double precision NOT NULL,
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL DEFAULT now(),
        window_started_at timestamptz NOT NULL DEFAULT now(),
        window_taken double precision NOT NULL DEFAULT 0,
        utilisation double precision NOT NULL DEFAULT 0,
        peak_utilisation double precision NOT NULL DEFAULT 0,
        threshold int NOT NULL DEFAULT 0,
        threshold_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX target_rate_buckets_tenant ON target_rate_buckets (tenant_id, host);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE target_rate_buckets, target_circuits, entity_leases, delivery_fingerprints;
      ALTER TABLE credentials DROP COLUMN status_reason, DROP COLUMN status_changed_at;
      ALTER TABLE delivery_attempts DROP COLUMN target;
      ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
      ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
        CHECK (outcome IN ('delivered', 'retrying', 'dead_lettered', 'filtered'));
    `);
  }
}
