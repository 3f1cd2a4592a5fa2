import type { MigrationInterface, QueryRunner } from 'typeorm';

/** graphql_rate_buckets.granted: how many tokens the last statement took (a process may lease a few), not a yes/no. */
export class RateLease1732900000000 implements MigrationInterface {
  name = 'RateLease1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE graphql_rate_buckets ALTER COLUMN granted TYPE integer USING granted::integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE graphql_rate_buckets ALTER COLUMN granted TYPE boolean USING granted > 0`);
  }
}
