import { workerMetrics, type Endpoint, type HttpResult } from '@datahub/connectors';
import { logger } from '../logger';
import type { Admission, CircuitBreakers, TargetRef } from './circuit.breaker';
import type { CredentialHealth } from './credential.health';
import type { TargetRates } from './target.rates';

/** A call that may not go now: the event waits (parked) until `untilMs`, without using up an attempt. */
export interface Held {
  untilMs: number;
  reason: string;
}

const metrics = workerMetrics();

/** Waits shorter than this are spent in the worker rather than parked in a delay queue. */
const LOCAL_RATE_WAIT_MAX_MS = 2_000;

/**
 * What stands between the pipeline and a platform: the target's circuit breaker, its shared rate
 * limit, and credential health. `around` runs one call through all three.
 */
export class TargetGuard {
  /** Real-time calls waiting for a token, per target: bulk calls in this process let them go first. */
  private readonly realtimeWaiting = new Map<string, number>();

  constructor(private readonly breakers: CircuitBreakers, private readonly rates: TargetRates, private readonly health: CredentialHealth) {}

  async around(endpoint: Endpoint, tenantId: string, ratePerSec: number, call: () => Promise<HttpResult>, bulk = false): Promise<HttpResult | Held> {
    const t = targetOf(endpoint, tenantId);
    // The breaker and the limiter fail open: while the database is away, 429s and 5xx still retry.
    const admission: Admission = await this.breakers.admit(t).catch((err) => (warn(err, 'circuit breaker'), { ok: true as const, probe: false }));
    if (!admission.ok) return { untilMs: admission.untilMs, reason: admission.reason };
    if (ratePerSec > 0) {
      const held = await this.pace(t, ratePerSec, bulk);
      if (held) return held;
    }
    const result = await call();
    if (result.phase === 'request') metrics.response(t.host, result.status);
    const failed = result.phase === 'request' && (result.status === null || result.status >= 500);
    await Promise.all([
      this.breakers.settle(t, admission, failed, result.error ?? `HTTP ${result.status}`).catch((err) => warn(err, 'circuit breaker')),
      this.health.report(endpoint.credentialId, result),
    ]);
    return result;
  }

  /** Waits for a token of the target's shared bucket; a wait too long to spend here is returned as Held. */
  private async pace(t: TargetRef, ratePerSec: number, bulk: boolean): Promise<Held | null> {
    const take = async () => {
      while (bulk && (this.realtimeWaiting.get(t.key) ?? 0) > 0) await sleep(Math.max(5, Math.round(1000 / ratePerSec / 2)));
      return this.rates.take(t, ratePerSec).catch((err) => (warn(err, 'rate limiter'), 0));
    };
    if (!bulk) this.realtimeWaiting.set(t.key, (this.realtimeWaiting.get(t.key) ?? 0) + 1);
    try {
      for (let waitMs = await take(); waitMs > 0; waitMs = await take()) {
        if (waitMs > LOCAL_RATE_WAIT_MAX_MS) return { untilMs: Date.now() + waitMs, reason: `rate limit of ${ratePerSec}/s for ${t.host}` };
        await sleep(waitMs);
      }
      return null;
    } finally {
      if (!bulk) this.realtimeWaiting.set(t.key, (this.realtimeWaiting.get(t.key) ?? 1) - 1);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function warn(err: unknown, what: string): void {
  logger.warn({ err: String(err) }, `${what} unavailable; letting the call through`);
}

export function isHeld(r: HttpResult | Held): r is Held {
  return 'untilMs' in r;
}

export function targetOf(endpoint: Endpoint, tenantId: string): TargetRef {
  const host = hostOf(endpoint.baseUrl);
  return { key: `${host}#${endpoint.credentialId}`, host, credentialId: endpoint.credentialId, tenantId };
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
