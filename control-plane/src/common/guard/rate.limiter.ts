import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

export interface RateLimiterOptions {
  /** Tokens added per second: the sustained request rate per key. */
  ratePerSec: number;
  /** Bucket size: requests a key may make at once after being quiet. */
  burst: number;
  /** Milliseconds clock; tests inject one. Processes on several hosts need synchronised clocks (NTP), as everywhere else. */
  now?: () => number;
  /** Rows idle (hence full) for this long are deleted now and then; a new bucket starts full, so nothing changes for the key. */
  idleEvictMs?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

/** What the limiter runs its statements through (a TypeORM DataSource fits). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

// Refill arithmetic in floating point can land a hair under 1 at exactly retryAfterMs.
const EPSILON = 1e-9;

/**
 * One atomic statement per request: refill the key's bucket for the time since its last request
 * (at most `burst`), spend a token if there is one, and say whether it did. Every SET expression
 * reads the row as it was, and the upsert locks it, so concurrent requests from any process queue
 * on the row instead of both spending the last token. A clock stepping back never drains a bucket.
 */
const TAKE_SQL = `
  INSERT INTO graphql_rate_buckets AS b (key, tokens, at_ms, granted) VALUES ($1, $3::float8 - 1, $4, true)
  ON CONFLICT (key) DO UPDATE SET
    granted = LEAST($3::float8, b.tokens + GREATEST(0, $4::bigint - b.at_ms) * $2::float8) >= 1 - ${EPSILON},
    tokens = CASE WHEN LEAST($3::float8, b.tokens + GREATEST(0, $4::bigint - b.at_ms) * $2::float8) >= 1 - ${EPSILON}
      THEN GREATEST(0, LEAST($3::float8, b.tokens + GREATEST(0, $4::bigint - b.at_ms) * $2::float8) - 1)
      ELSE LEAST($3::float8, b.tokens + GREATEST(0, $4::bigint - b.at_ms) * $2::float8) END,
    at_ms = GREATEST(b.at_ms, $4::bigint)
  RETURNING tokens, granted`;

/**
 * A token bucket per key (an API token id), kept in PostgreSQL (graphql_rate_buckets) so that every
 * control-plane process spends from the same bucket: N processes behind a load balancer allow the
 * configured rate, not N times it. Costs one small statement per request. If the database does not
 * answer, the request is let through (logged): the limiter must not add a failure of its own.
 */
export class TokenRateLimiter {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private lastSweepMs: number;

  constructor(private readonly db: SqlRunner, opts: RateLimiterOptions, private readonly warn: (err: unknown) => void = () => undefined) {
    if (!(opts.ratePerSec > 0)) throw new RangeError(`ratePerSec must be above 0, got ${opts.ratePerSec}`);
    if (!(opts.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${opts.burst}`);
    this.ratePerMs = opts.ratePerSec / 1000;
    this.burst = opts.burst;
    this.now = opts.now ?? Date.now;
    // Never shorter than the time an empty bucket takes to fill: only full buckets may be forgotten.
    this.idleEvictMs = Math.max(opts.idleEvictMs ?? 60_000, Math.ceil(this.burst / this.ratePerMs));
    this.lastSweepMs = this.now();
  }

  /** Spends one token of `key`'s bucket, or says how long until one is there. */
  async take(key: string): Promise<TakeResult> {
    const now = Math.round(this.now());
    try {
      await this.sweep(now);
      const rows = (await this.db.query(TAKE_SQL, [key, this.ratePerMs, this.burst, now])) as { tokens: number; granted: boolean }[];
      const row = rows[0]!;
      if (row.granted) return { ok: true };
      return { ok: false, retryAfterMs: Math.ceil((1 - Number(row.tokens)) / this.ratePerMs) };
    } catch (err) {
      this.warn(err);
      return { ok: true };
    }
  }

  // Lazy and at most once per idleEvictMs per process, so the table follows the keys seen lately.
  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweepMs < this.idleEvictMs) return;
    this.lastSweepMs = now;
    await this.db.query(`DELETE FROM graphql_rate_buckets WHERE at_ms < $1`, [now - this.idleEvictMs]);
  }
}

/**
 * The error to throw from Apollo's context function: Apollo lifts `extensions.http` into the
 * response's status and headers (and strips it from the body), so the client sees 429 + Retry-After.
 */
export function rateLimitedError(retryAfterMs: number): GraphQLError {
  const retryAfterSec = Math.ceil(retryAfterMs / 1000);
  return new GraphQLError(`Too many requests with this API token; retry in ${retryAfterSec} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterMs,
      // HeaderMap, not a plain Map: it is the type Apollo declares for HTTPGraphQLHead.headers and it lower-cases names.
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSec)]]) },
    },
  });
}
