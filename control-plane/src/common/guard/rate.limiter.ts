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
  /**
   * Tokens one statement may take for this process to spend locally (default burst / 10, at least 1),
   * and how long they may be spent (default 1 s; unspent ones lapse). 1 means one statement per request.
   */
  leaseMax?: number;
  leaseMs?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

/** What the limiter runs its statements through (a TypeORM DataSource fits). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

// Refill arithmetic in floating point can land a hair under 1 at exactly retryAfterMs.
const EPSILON = 1e-9;

/**
 * One atomic statement: refill the key's bucket for the time since its last statement (at most
 * `burst`), take up to $5 whole tokens (as many as there are), and say how many it took. Every SET
 * expression reads the row as it was, and the upsert locks it, so concurrent requests from any
 * process queue on the row instead of both spending the last token. A clock stepping back never
 * drains a bucket.
 */
const AVAILABLE = `LEAST($3::float8, b.tokens + GREATEST(0, $4::bigint - b.at_ms) * $2::float8)`;
const TAKEN = `LEAST($5::int, floor(${AVAILABLE} + ${EPSILON})::int)`;
const TAKE_SQL = `
  INSERT INTO graphql_rate_buckets AS b (key, tokens, at_ms, granted) VALUES ($1, $3::float8 - LEAST($5::int, $3::int), $4, LEAST($5::int, $3::int))
  ON CONFLICT (key) DO UPDATE SET
    granted = ${TAKEN},
    tokens = GREATEST(0, ${AVAILABLE} - ${TAKEN}),
    at_ms = GREATEST(b.at_ms, $4::bigint)
  RETURNING tokens, granted`;

/**
 * A token bucket per key (an API token id), kept in PostgreSQL (graphql_rate_buckets) so that every
 * control-plane process spends from the same bucket: N processes behind a load balancer allow the
 * configured rate, not N times it. A statement may take a few tokens at once (a lease, spent by this
 * process within leaseMs), so a busy token costs one statement per few requests; what a process
 * leases is gone from the shared bucket, so the sum over processes never exceeds rate and burst.
 * If the database does not answer, the request is let through (logged): the limiter must not add a
 * failure of its own.
 */
export class TokenRateLimiter {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private lastSweepMs: number;
  private readonly leaseMax: number;
  private readonly leaseMs: number;
  /** Tokens this process took from the shared bucket and has not spent yet, per key. */
  private readonly leases = new Map<string, { left: number; untilMs: number }>();

  constructor(private readonly db: SqlRunner, opts: RateLimiterOptions, private readonly warn: (err: unknown) => void = () => undefined) {
    if (!(opts.ratePerSec > 0)) throw new RangeError(`ratePerSec must be above 0, got ${opts.ratePerSec}`);
    if (!(opts.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${opts.burst}`);
    this.ratePerMs = opts.ratePerSec / 1000;
    this.burst = opts.burst;
    this.now = opts.now ?? Date.now;
    // Never shorter than the time an empty bucket takes to fill: only full buckets may be forgotten.
    this.idleEvictMs = Math.max(opts.idleEvictMs ?? 60_000, Math.ceil(this.burst / this.ratePerMs));
    this.lastSweepMs = this.now();
    this.leaseMax = Math.max(1, Math.floor(opts.leaseMax ?? this.burst / 10));
    this.leaseMs = opts.leaseMs ?? 1_000;
  }

  /** Spends one token of `key`'s bucket, or says how long until one is there. */
  async take(key: string): Promise<TakeResult> {
    const now = Math.round(this.now());
    const lease = this.leases.get(key);
    if (lease && lease.left > 0 && now < lease.untilMs) {
      lease.left -= 1;
      return { ok: true };
    }
    try {
      await this.sweep(now);
      const rows = (await this.db.query(TAKE_SQL, [key, this.ratePerMs, this.burst, now, this.leaseMax])) as { tokens: number; granted: number }[];
      const row = rows[0]!;
      const taken = Number(row.granted);
      if (taken >= 1) {
        if (taken > 1) this.leases.set(key, { left: taken - 1, untilMs: now + this.leaseMs });
        else this.leases.delete(key);
        return { ok: true };
      }
      this.leases.delete(key);
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
    for (const [key, lease] of this.leases) if (lease.untilMs <= now) this.leases.delete(key);
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
