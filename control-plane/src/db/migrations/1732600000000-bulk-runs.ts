import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk syncs and the accuracy audit: per-sync settings (list operation, page size, cron schedules),
 * bulk runs with their checkpoint (cursor after the last page published) and progress counts, and
 * audits with their sampled records. The scheduler (data plane) executes runs and audits; the
 * control plane creates and cancels them.
 */
export class BulkRuns1732600000000 implements MigrationInterface {
  name = 'BulkRuns1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulk_settings (
        sync_id uuid PRIMARY KEY REFERENCES syncs (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        list_operation text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        page_size int NOT NULL,
        max_in_flight int NOT NULL,
        schedule text,
        schedule_mode text NOT NULL DEFAULT 'incremental',
        next_run_at timestamptz,
        audit_schedule text,
        audit_sample_size int NOT NULL DEFAULT 50,
        next_audit_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE bulk_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        sync_id uuid NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
        sync_version int NOT NULL,
        mode text NOT NULL,
        trigger text NOT NULL,
        audit_id uuid,
        state text NOT NULL,
        -- Checkpoint: where the next page starts (cursor, page number or offset as text); null: the first page.
        cursor text,
        -- Incremental runs: only records modified since this time.
        watermark timestamptz,
        pages int NOT NULL DEFAULT 0,
        records int NOT NULL DEFAULT 0,
        published int NOT NULL DEFAULT 0,
        delivered int NOT NULL DEFAULT 0,
        unchanged int NOT NULL DEFAULT 0,
        filtered int NOT NULL DEFAULT 0,
        failed int NOT NULL DEFAULT 0,
        total int,
        errors jsonb NOT NULL DEFAULT '[]',
        trace_id text,
        page_trace_ids jsonb NOT NULL DEFAULT '[]',
        leader text,
        started_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX bulk_runs_by_sync ON bulk_runs (tenant_id, sync_id, created_at);
      CREATE INDEX bulk_runs_open ON bulk_runs (created_at) WHERE state IN ('queued', 'running', 'draining', 'cancelling');
      -- One open run per sync at a time.
      CREATE UNIQUE INDEX bulk_runs_one_open ON bulk_runs (sync_id) WHERE state IN ('queued', 'running', 'draining', 'cancelling');

      CREATE TABLE accuracy_audits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        sync_id uuid NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
        trigger text NOT NULL,
        state text NOT NULL,
        sample_size int NOT NULL,
        sampled int NOT NULL DEFAULT 0,
        matched int NOT NULL DEFAULT 0,
        mismatched int NOT NULL DEFAULT 0,
        unreadable int NOT NULL DEFAULT 0,
        error text,
        repair_run_id uuid,
        started_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX accuracy_audits_by_sync ON accuracy_audits (tenant_id, sync_id, created_at);
      CREATE INDEX accuracy_audits_open ON accuracy_audits (created_at) WHERE state IN ('queued', 'running');

      CREATE TABLE accuracy_audit_items (
        audit_id uuid NOT NULL REFERENCES accuracy_audits (id) ON DELETE CASCADE,
        entity_key text NOT NULL,
        -- match | mismatch | missing (not in the target) | unreadable (a read failed)
        verdict text NOT NULL,
        match_value text,
        differences jsonb NOT NULL DEFAULT '[]',
        source_record jsonb,
        PRIMARY KEY (audit_id, entity_key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE accuracy_audit_items, accuracy_audits, bulk_runs, bulk_settings;`);
  }
}
