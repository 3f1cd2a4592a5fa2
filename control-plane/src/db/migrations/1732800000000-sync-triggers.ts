import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triggers the hub installed at an origin's webhooks API (installTrigger): one per sync, with the
 * remote webhook id (to remove it again) and the inbound key minted for it (revoking it removes it).
 */
export class SyncTriggers1732800000000 implements MigrationInterface {
  name = 'SyncTriggers1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_triggers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        sync_id uuid NOT NULL UNIQUE REFERENCES syncs(id) ON DELETE CASCADE,
        inbound_key_id uuid NOT NULL REFERENCES inbound_keys(id) ON DELETE CASCADE,
        connector text NOT NULL,
        remote_id text NOT NULL,
        url_masked text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sync_triggers_key ON sync_triggers (inbound_key_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sync_triggers');
  }
}
