import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: usage counters and latency histograms per hour, the per-event delivery log with its
 * retention, replay series, and the tenant's usage settings (monthly quota, log redaction).
 */
export class UsageLog1732500000000 implements MigrationInterface {
  name = 'UsageLog1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A replay is its own attempt series (0: as received, n: the n-th replay): it no longer
      -- overwrites the rows of the first series.
      ALTER TABLE delivery_attempts ADD COLUMN replay int NOT NULL DEFAULT 0,
        ADD COLUMN response_excerpt text, ADD COLUMN next_retry_at timestamptz;
      ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_event_id_attempt_key;
      ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_series UNIQUE (event_id, replay, attempt);
      -- The retention job deletes by age.
      CREATE INDEX delivery_attempts_age ON delivery_attempts (tenant_id, created_at);

      -- One row per event: what the delivery log lists and searches. Written by the worker in the
      -- same statement as the attempt rows; excerpts are bounded and redacted before they get here.
      CREATE TABLE delivery_events (
        event_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        sync_id uuid NOT NULL,
        sync_version int NOT NULL,
        entity_key text,
        trigger text NOT NULL,
        method text,
        received_at timestamptz NOT NULL,
        state text NOT NULL,
        attempt int NOT NULL,
        replay int NOT NULL DEFAULT 0,
        record_excerpt text,
        payload_excerpt text,
        trace_id text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX delivery_events_tenant ON delivery_events (tenant_id, received_at DESC, event_id DESC);
      CREATE INDEX delivery_events_sync ON delivery_events (tenant_id, sync_id, received_at DESC, event_id DESC);
      CREATE INDEX delivery_events_entity ON delivery_events (tenant_id, entity_key, received_at DESC);

      -- Counters per (tenant, project, sync, target host, hour): the worker adds what it counted
      -- in memory every few seconds (n = n + excluded.n). Days are summed at query time.
      CREATE TABLE usage_hourly (
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        sync_id uuid NOT NULL,
        target text NOT NULL,
        hour timestamptz NOT NULL,
        received bigint NOT NULL DEFAULT 0,
        fetched bigint NOT NULL DEFAULT 0,
        filtered bigint NOT NULL DEFAULT 0,
        unchanged bigint NOT NULL DEFAULT 0,
        delivered bigint NOT NULL DEFAULT 0,
        retried bigint NOT NULL DEFAULT 0,
        dead_lettered bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, project_id, sync_id, target, hour)
      );
      CREATE INDEX usage_hourly_tenant ON usage_hourly (tenant_id, hour);

      -- Latency histograms: a count per fixed bucket (le_ms = -1: above the last bound).
      CREATE TABLE usage_latency_hourly (
        tenant_id uuid NOT NULL,
        project_id uuid NOT NULL,
        sync_id uuid NOT NULL,
        target text NOT NULL,
        hour timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('receipt_to_delivery', 'target_call')),
        le_ms bigint NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, project_id, sync_id, target, hour, kind, le_ms)
      );
      CREATE INDEX usage_latency_hourly_tenant ON usage_latency_hourly (tenant_id, hour);

      CREATE TABLE tenant_usage_settings (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
        monthly_event_quota bigint CHECK (monthly_event_quota > 0),
        -- true: ingress answers 429 quota_exceeded at 100 %; false: only reported.
        quota_enforced boolean NOT NULL DEFAULT true,
        log_retention_days int NOT NULL DEFAULT 30 CHECK (log_retention_days BETWEEN 1 AND 3650),
        sensitive_fields text[] NOT NULL DEFAULT '{}',
        -- The highest threshold (80, 100) already announced for quota_notified_month ('YYYY-MM').
        quota_notified_month text,
        quota_notified_level int,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE tenant_usage_settings, usage_latency_hourly, usage_hourly, delivery_events;
      DROP INDEX delivery_attempts_age;
      DELETE FROM delivery_attempts WHERE replay > 0;
      ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_series;
      ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_event_id_attempt_key UNIQUE (event_id, attempt);
      ALTER TABLE delivery_attempts DROP COLUMN replay, DROP COLUMN response_excerpt, DROP COLUMN next_retry_at;
    `);
  }
}
