import { headerOf, type HttpResult } from '@datahub/connectors';

export type Verdict =
  | { kind: 'ok' }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string };

/**
 * The webhooks guide's status classes: 5xx, 429, 408, network errors and timeouts are retried;
 * every other 4xx (400, 401, 403, 404, 405, 406, 410, 415, 422, …) and unexpected redirects are
 * not. Refusals before sending are permanent, unless the client marked them transient (the
 * database was away) or a token was just renewed after a 401.
 */
export function classify(result: HttpResult, now: () => number = Date.now): Verdict {
  const { status } = result;
  const where = result.phase === 'token' ? 'token endpoint: ' : '';
  if (result.phase === 'local') {
    const reason = `refused: ${result.error ?? 'the hub could not prepare the call'}`;
    return result.retryable ? { kind: 'retryable', reason } : { kind: 'permanent', reason };
  }
  if (status === null) return { kind: 'retryable', reason: `${where}${result.error ?? 'network error'}` };
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(headerOf(result, 'retry-after'), now);
    const reason = `${where}HTTP ${status}${status === 429 ? ' (rate limited)' : ''}`;
    return { kind: 'retryable', reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500 || status === 408 || result.retryable) return { kind: 'retryable', reason: `${where}HTTP ${status}${result.retryable ? ' (token renewed; retrying)' : ''}` };
  return { kind: 'permanent', reason: result.error ?? `${where}HTTP ${status}` };
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: () => number = Date.now): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/**
 * The wait before attempt `attempt + 1` (attempt is 1-based): the schedule's delay for this
 * retry, or longer when the target's Retry-After asks for more — honoured exactly, even past the
 * longest bucket. null when the attempts are used up.
 */
export function nextRetryDelay(scheduleMs: readonly number[], attempt: number, retryAfterMs?: number): number | null {
  if (attempt > scheduleMs.length) return null;
  return Math.max(scheduleMs[attempt - 1]!, retryAfterMs ?? 0);
}
