import { workerMetrics } from '@datahub/connectors';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';
import type { TargetRef } from './circuit.breaker';
import { burstFor, leaseTokens, type BucketState } from './token.bucket';

interface Local {
  tokens: number;
  expiresAtMs: number;
  pending: Promise<number> | null;
}

/** How long leased tokens stay usable: unused ones are dropped, never carried over (safe side). */
const LEASE_TTL_MS = 1_000;

/**
 * The shared rate limit per target: one token bucket per target in `target_rate_buckets`, used by
 * every worker. A worker leases ~100 ms worth of tokens in one transaction and spends them from
 * memory, so a fast target costs a round trip per batch, not per request.
 */
export class TargetRates {
  private readonly local = new Map<string, Local>();

  constructor(private readonly db: Database) {}

  /** 0 when the call may go now, else how long until a token is there. */
  async take(t: TargetRef, ratePerSec: number, now = Date.now()): Promise<number> {
    let l = this.local.get(t.key);
    if (!l) this.local.set(t.key, (l = { tokens: 0, expiresAtMs: 0, pending: null }));
    if (l.tokens > 0 && now < l.expiresAtMs) {
      l.tokens--;
      return 0;
    }
    l.pending ??= this.lease(t, ratePerSec, l).finally(() => (l!.pending = null));
    const waitMs = await l.pending;
    if (l.tokens > 0) {
      l.tokens--;
      return 0;
    }
    return Math.max(waitMs, 1);
  }

  private async lease(t: TargetRef, ratePerSec: number, l: Local): Promise<number> {
    const want = burstFor(ratePerSec);
    const result = await this.db.tx(async (c) => {
      await c.query(
        `INSERT INTO target_rate_buckets (target, tenant_id, host, credential_id, rate_per_sec, burst, tokens)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (target) DO NOTHING`,
        [t.key, t.tenantId, t.host, t.credentialId, ratePerSec, want],
      );
      const { rows: [r] } = await c.query(
        `SELECT tokens, burst, rate_per_sec, window_taken, utilisation, peak_utilisation, threshold,
                (extract(epoch FROM refilled_at) * 1000)::float8 AS refilled_ms, (extract(epoch FROM window_started_at) * 1000)::float8 AS window_ms,
                (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms
           FROM target_rate_buckets WHERE target = $1 FOR UPDATE`,
        [t.key],
      );
      const state: BucketState = {
        ratePerSec, burst: want, tokens: Math.min(r.tokens, want), refilledAtMs: r.refilled_ms, windowStartedAtMs: r.window_ms,
        windowTaken: r.window_taken, utilisation: r.utilisation, peakUtilisation: r.peak_utilisation, threshold: r.threshold,
      };
      const lease = leaseTokens(state, r.now_ms, want);
      const n = lease.next;
      workerMetrics().rateUtilisation(t.host, n.utilisation);
      await c.query(
        `UPDATE target_rate_buckets SET rate_per_sec = $2, burst = $3, tokens = $4, refilled_at = to_timestamp($5 / 1000.0),
                window_started_at = to_timestamp($6 / 1000.0), window_taken = $7, utilisation = $8, peak_utilisation = $9,
                threshold = $10, threshold_at = CASE WHEN $11 THEN now() ELSE threshold_at END, updated_at = now()
          WHERE target = $1`,
        [t.key, ratePerSec, n.burst, n.tokens, n.refilledAtMs, n.windowStartedAtMs, n.windowTaken, n.utilisation, n.peakUtilisation, n.threshold, lease.crossed !== null],
      );
      return lease;
    });
    if (result.crossed !== null) {
      const msg = result.crossed ? `rate limit utilisation crossed ${result.crossed} %` : 'rate limit utilisation back under 80 %';
      logger[result.crossed ? 'warn' : 'info']({ operationalEvent: 'rate_limit_threshold', target: t.host, credentialId: t.credentialId, utilisation: result.next.utilisation, threshold: result.crossed }, msg);
    }
    l.tokens = result.granted;
    l.expiresAtMs = Date.now() + LEASE_TTL_MS;
    return result.waitMs;
  }
}
