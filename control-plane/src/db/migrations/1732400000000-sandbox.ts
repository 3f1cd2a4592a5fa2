import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sandbox runs (the real pipeline on a sample, run by a worker: see control-plane/src/sandbox/README.md),
 * saved test cases per sync, the sandbox target a sync names for testing, and what the activation
 * gate decided for each activated version.
 */
export class Sandbox1732400000000 implements MigrationInterface {
  name = 'Sandbox1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE syncs ADD COLUMN sandbox_target jsonb;
      ALTER TABLE sync_versions ADD COLUMN activation_check jsonb;
      CREATE TABLE sync_test_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        sync_id uuid NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        name text NOT NULL,
        input jsonb NOT NULL,
        expected jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sync_test_cases_sync ON sync_test_cases (tenant_id, sync_id, created_at);
      CREATE TABLE sandbox_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        sync_id uuid NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
        version int NOT NULL,
        mode text NOT NULL,
        input jsonb NOT NULL,
        -- The compiled SyncPlan the worker runs (ids only, no secrets), with the sandbox target in SANDBOX_TARGET mode.
        plan bytea NOT NULL,
        test_case_id uuid REFERENCES sync_test_cases(id) ON DELETE SET NULL,
        expected jsonb,
        status text NOT NULL DEFAULT 'pending',
        outcome text,
        reason text,
        mapped jsonb,
        steps jsonb NOT NULL DEFAULT '[]',
        requests jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX sandbox_runs_sync ON sandbox_runs (tenant_id, sync_id, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sandbox_runs, sync_test_cases;
      ALTER TABLE sync_versions DROP COLUMN activation_check;
      ALTER TABLE syncs DROP COLUMN sandbox_target;
    `);
  }
}
