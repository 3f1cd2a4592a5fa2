import { InvalidInput } from '../common/errors';
import type { DeliveryPolicyDefinition } from './sync.definition';

export const RETRY_SCHEDULE_LIMITS = { minEntries: 1, maxEntries: 10, minSec: 1, maxSec: 86_400 } as const;
export const TIMEOUT_MS_LIMITS = { min: 100, max: 60_000 } as const;
export const RATE_LIMIT_PER_SEC_MAX = 10_000;

type PolicyInput = { retryScheduleSec?: number[] | null; timeoutMs?: number | null; rateLimitPerSec?: number | null };

/** A delivery policy as stored: each value checked (BAD_USER_INPUT at its path); null when nothing is set. */
export function checkDeliveryPolicy(input: PolicyInput | null | undefined, at: string): DeliveryPolicyDefinition | null {
  if (!input) return null;
  const retryScheduleSec = input.retryScheduleSec ?? null;
  const timeoutMs = input.timeoutMs ?? null;
  const rateLimitPerSec = input.rateLimitPerSec ?? null;
  if (retryScheduleSec) {
    const { minEntries, maxEntries, minSec, maxSec } = RETRY_SCHEDULE_LIMITS;
    const field = `${at}.retryScheduleSec`;
    if (retryScheduleSec.length < minEntries || retryScheduleSec.length > maxEntries) {
      throw new InvalidInput(field, `retryScheduleSec needs ${minEntries} to ${maxEntries} delays (one per retry); leave it out for the default`);
    }
    retryScheduleSec.forEach((sec, i) => {
      if (!Number.isInteger(sec) || sec < minSec || sec > maxSec) throw new InvalidInput(`${field}.${i}`, `Each retry delay must be ${minSec}..${maxSec} seconds`);
      if (i > 0 && sec < retryScheduleSec[i - 1]!) throw new InvalidInput(`${field}.${i}`, 'Retry delays must not get shorter (a Retry-After picks the next longer one)');
    });
  }
  if (timeoutMs !== null && (!Number.isInteger(timeoutMs) || timeoutMs < TIMEOUT_MS_LIMITS.min || timeoutMs > TIMEOUT_MS_LIMITS.max)) {
    throw new InvalidInput(`${at}.timeoutMs`, `timeoutMs must be ${TIMEOUT_MS_LIMITS.min}..${TIMEOUT_MS_LIMITS.max}`);
  }
  if (rateLimitPerSec !== null && !(Number.isFinite(rateLimitPerSec) && rateLimitPerSec > 0 && rateLimitPerSec <= RATE_LIMIT_PER_SEC_MAX)) {
    throw new InvalidInput(`${at}.rateLimitPerSec`, `rateLimitPerSec must be above 0 and at most ${RATE_LIMIT_PER_SEC_MAX}`);
  }
  if (retryScheduleSec === null && timeoutMs === null && rateLimitPerSec === null) return null;
  return { retryScheduleSec: retryScheduleSec ? [...retryScheduleSec] : null, timeoutMs, rateLimitPerSec };
}

/** Field by field, the first layer that sets a value wins (sync input, project defaults, tenant defaults). */
export function mergeDeliveryPolicies(...layers: (PolicyInput | null | undefined)[]): PolicyInput | undefined {
  const first = <K extends keyof PolicyInput>(k: K) => layers.map((l) => l?.[k]).find((v) => v !== undefined && v !== null) ?? null;
  const merged = { retryScheduleSec: first('retryScheduleSec'), timeoutMs: first('timeoutMs'), rateLimitPerSec: first('rateLimitPerSec') };
  return Object.values(merged).some((v) => v !== null) ? merged : undefined;
}

/** The SyncPlan.delivery message fields (0 / empty: the worker's default); undefined when nothing is set. */
export function deliveryPlan(d: DeliveryPolicyDefinition | null | undefined) {
  if (!d) return undefined;
  return {
    retryScheduleMs: (d.retryScheduleSec ?? []).map((sec) => sec * 1000),
    timeoutMs: d.timeoutMs ?? 0,
    rateLimitPerSec: d.rateLimitPerSec ?? 0,
  };
}
