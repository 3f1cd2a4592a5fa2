import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-API-token GraphQL rate limit, shared by every control-plane process (one token bucket
 * row per token, updated by one atomic upsert per request; see common/guard/rate.limiter.ts).
 * Unlogged: the buckets are short-lived state; after a crash they start full, as a new bucket would.
 */
export class GraphqlRateBuckets1732410000000 implements MigrationInterface {
  name = 'GraphqlRateBuckets1732410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE graphql_rate_buckets (
        key text PRIMARY KEY,
        tokens double precision NOT NULL,
        at_ms bigint NOT NULL,
        granted boolean NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE graphql_rate_buckets`);
  }
}
