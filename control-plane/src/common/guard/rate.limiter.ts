import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

export interface RateLimiterOptions {
  /** Tokens added per second: the sustained request rate per key. */
  ratePerSec: number;
  /** Bucket size: requests a key may make at once after being quiet. */
  burst: number;
  /** Milliseconds clock; tests inject one. */
  now?: () => number;
  /** A bucket full for this long is forgotten (a new one starts full, so nothing changes for the key). */
  idleEvictMs?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  atMs: number;
}

// Refill arithmetic in floating point can land a hair under 1 at exactly retryAfterMs.
const EPSILON = 1e-9;

/** A token bucket per key (an API token id); one instance per process. */
export class TokenRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly idleEvictMs: number;
  private lastSweepMs: number;

  constructor(opts: RateLimiterOptions) {
    if (!(opts.ratePerSec > 0)) throw new RangeError(`ratePerSec must be above 0, got ${opts.ratePerSec}`);
    if (!(opts.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${opts.burst}`);
    this.ratePerMs = opts.ratePerSec / 1000;
    this.burst = opts.burst;
    this.now = opts.now ?? Date.now;
    this.idleEvictMs = opts.idleEvictMs ?? 60_000;
    this.lastSweepMs = this.now();
  }

  /** Spends one token of `key`'s bucket, or says how long until one is there. */
  take(key: string): TakeResult {
    const now = this.now();
    this.sweep(now);
    const tokens = this.tokensAt(this.buckets.get(key), now);
    if (tokens >= 1 - EPSILON) {
      this.buckets.set(key, { tokens: Math.max(0, tokens - 1), atMs: now });
      return { ok: true };
    }
    this.buckets.set(key, { tokens, atMs: now });
    return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / this.ratePerMs) };
  }

  /** Keys with a bucket in memory. */
  get size(): number {
    return this.buckets.size;
  }

  private tokensAt(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.burst;
    // A clock stepping back must not drain a bucket.
    return Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.atMs) * this.ratePerMs);
  }

  // Lazy and at most once per idleEvictMs, so memory follows the keys seen lately at O(1) amortised cost.
  private sweep(now: number): void {
    if (now - this.lastSweepMs < this.idleEvictMs) return;
    this.lastSweepMs = now;
    for (const [key, b] of this.buckets) {
      const fullAtMs = b.atMs + (this.burst - b.tokens) / this.ratePerMs;
      if (now - fullAtMs >= this.idleEvictMs) this.buckets.delete(key);
    }
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
