import { classify, nextRetryDelay, parseRetryAfter } from './delivery.classify';

const result = (status: number | null, headers: Record<string, string> = {}) => ({
  status, headers: status === null ? null : new Headers(headers), text: '', json: undefined, durationMs: 1, error: status === null ? 'ECONNRESET' : undefined,
});

describe('delivery classification', () => {
  it.each([500, 502, 503, 504, 408])('retries HTTP %i', (s) => expect(classify(result(s)).kind).toBe('retryable'));
  it.each([400, 401, 403, 404, 405, 406, 409, 410, 415, 422, 302])('gives up on HTTP %i', (s) => expect(classify(result(s)).kind).toBe('permanent'));
  it('retries network errors and honours a 429 Retry-After', () => {
    expect(classify(result(null))).toEqual({ kind: 'retryable', reason: 'ECONNRESET' });
    expect(classify(result(429, { 'retry-after': '30' }))).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000 });
  });
  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', () => now)).toBe(60_000);
  });
});

describe('retry buckets', () => {
  const schedule = [30_000, 60_000, 120_000, 300_000, 600_000];
  it('follows the schedule, then gives up', () => {
    expect([1, 2, 3, 4, 5].map((a) => nextRetryDelay(schedule, a))).toEqual(schedule);
    expect(nextRetryDelay(schedule, 6)).toBeNull();
  });
  it('moves to a longer bucket when Retry-After asks for more', () => {
    expect(nextRetryDelay(schedule, 1, 90_000)).toBe(120_000);
    expect(nextRetryDelay(schedule, 1, 3_600_000)).toBe(600_000);
    expect(nextRetryDelay(schedule, 3, 10_000)).toBe(120_000);
  });
});
