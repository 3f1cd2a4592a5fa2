import type { HttpResult } from '@datahub/connectors';

export type Verdict =
  | { kind: 'ok' }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string };

/**
 * The webhooks guide's status classes: 5xx, 429, 408, network errors and timeouts are retried;
 * every other 4xx (400, 401, 403, 404, 405, 406, 410, 415, 422, …) and unexpected redirects are not.
 */
export function classify(result: HttpResult, now: () => number = Date.now): Verdict {
  const { status } = result;
  if (status === null) return { kind: 'retryable', reason: result.error ?? 'network error' };
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(result.headers?.get('retry-after') ?? null, now);
    return { kind: 'retryable', reason: 'HTTP 429 (rate limited)', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500 || status === 408) return { kind: 'retryable', reason: `HTTP ${status}` };
  return { kind: 'permanent', reason: `HTTP ${status}` };
}

/** Retry-After as delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: () => number = Date.now): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/**
 * The retry bucket for attempt `attempt` (1-based): the schedule's delay for that attempt, or the
 * smallest bucket that honours a longer Retry-After. null when the attempts are used up.
 */
export function nextRetryDelay(scheduleMs: number[], attempt: number, retryAfterMs?: number): number | null {
  if (attempt > scheduleMs.length) return null;
  const planned = scheduleMs[attempt - 1]!;
  if (retryAfterMs === undefined || retryAfterMs <= planned) return planned;
  const sorted = [...scheduleMs].sort((a, b) => a - b);
  return sorted.find((d) => d >= retryAfterMs) ?? sorted.at(-1)!;
}
