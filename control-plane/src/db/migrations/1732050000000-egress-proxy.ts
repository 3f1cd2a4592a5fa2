import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant's own egress proxy (HTTP CONNECT) for its outbound calls, in place of the operator's. */
export class EgressProxy1732050000000 implements MigrationInterface {
  name = 'EgressProxy1732050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tenants ADD COLUMN egress_proxy_url text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tenants DROP COLUMN egress_proxy_url');
  }
}
