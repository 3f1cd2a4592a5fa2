import type { HttpResult } from '@datahub/connectors';
import { classify, nextRetryDelay, parseRetryAfter } from './delivery.classify';

const result = (status: number | null, headers: Record<string, string> = {}, extra: Partial<HttpResult> = {}): HttpResult => ({
  status, headers: status === null ? null : headers, text: '', json: undefined, durationMs: 1, phase: 'request',
  ...(status === null ? { error: 'ECONNRESET' } : {}), ...extra,
});

describe('delivery classification', () => {
  it.each([500, 502, 503, 504, 408])('retries HTTP %i', (s) => expect(classify(result(s)).kind).toBe('retryable'));
  it.each([400, 401, 403, 404, 405, 406, 409, 410, 415, 422, 302])('gives up on HTTP %i', (s) => expect(classify(result(s)).kind).toBe('permanent'));
  it('retries network errors and honours a Retry-After on 429 and 503', () => {
    expect(classify(result(null))).toEqual({ kind: 'retryable', reason: 'ECONNRESET' });
    expect(classify(result(429, { 'retry-after': '30' }))).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000 });
    expect(classify(result(503, { 'retry-after': '7' }))).toMatchObject({ kind: 'retryable', retryAfterMs: 7_000 });
  });
  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', () => now)).toBe(60_000);
  });
  it('gives up on a refusal before sending, but retries one the database caused', () => {
    expect(classify(result(null, {}, { phase: 'local', error: 'https only', retryable: false }))).toMatchObject({ kind: 'permanent', reason: 'refused: https only' });
    expect(classify(result(null, {}, { phase: 'local', error: 'ECONNREFUSED', retryable: true })).kind).toBe('retryable');
  });
  it('gives up when the token endpoint refuses the credential, retries when it is down', () => {
    expect(classify(result(401, {}, { phase: 'token', error: 'token endpoint answered HTTP 401 (invalid_client)' }))).toEqual({
      kind: 'permanent', reason: 'token endpoint answered HTTP 401 (invalid_client)',
    });
    expect(classify(result(502, {}, { phase: 'token' })).kind).toBe('retryable');
  });
  it('retries a 401 once the client renewed the token', () => {
    expect(classify(result(401, {}, { retryable: true })).kind).toBe('retryable');
  });
});

describe('retry delays', () => {
  const schedule = [30_000, 60_000, 120_000, 300_000, 600_000];
  it('follows the schedule, then gives up', () => {
    expect([1, 2, 3, 4, 5].map((a) => nextRetryDelay(schedule, a))).toEqual(schedule);
    expect(nextRetryDelay(schedule, 6)).toBeNull();
  });
  it('waits exactly as long as Retry-After asks when that is longer, even past the longest bucket', () => {
    expect(nextRetryDelay(schedule, 1, 90_000)).toBe(90_000);
    expect(nextRetryDelay(schedule, 1, 3_600_000)).toBe(3_600_000);
    expect(nextRetryDelay(schedule, 3, 10_000)).toBe(120_000);
  });
});
