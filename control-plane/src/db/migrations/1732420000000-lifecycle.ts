import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sync lifecycle: a description, and archiving (hidden from lists, webhooks refused, deletable). */
export class Lifecycle1732420000000 implements MigrationInterface {
  name = 'Lifecycle1732420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE syncs ADD COLUMN description text NOT NULL DEFAULT '', ADD COLUMN archived_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE syncs DROP COLUMN description, DROP COLUMN archived_at`);
  }
}
