import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pausing a sync (ingress refuses its webhooks with 409 sync_paused while paused_at is set) and
 * replaying dead letters (replayed_at marks a dead letter as sent again, so a second replay sends nothing).
 */
export class PauseReplay1732300000000 implements MigrationInterface {
  name = 'PauseReplay1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE syncs ADD COLUMN paused_at timestamptz;
      ALTER TABLE dead_letters ADD COLUMN replayed_at timestamptz, ADD COLUMN replayed_version int;
      -- "replay everything not yet replayed" reads this, oldest first.
      CREATE INDEX dead_letters_unreplayed ON dead_letters (tenant_id, sync_id, created_at) WHERE replayed_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX dead_letters_unreplayed;
      ALTER TABLE dead_letters DROP COLUMN replayed_at, DROP COLUMN replayed_version;
      ALTER TABLE syncs DROP COLUMN paused_at;
    `);
  }
}
