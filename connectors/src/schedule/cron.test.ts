import { nextCronTime, parseCron, type Cron } from './cron';

const cron = (s: string): Cron => {
  const p = parseCron(s);
  if (!p.ok) throw new Error(p.reason);
  return p.cron;
};
const next = (s: string, after: string) => nextCronTime(cron(s), new Date(after))?.toISOString();

describe('5-field cron', () => {
  it('fires every minute, every 15 minutes, and at a fixed time of day (UTC)', () => {
    expect(next('* * * * *', '2026-01-01T10:00:30Z')).toBe('2026-01-01T10:01:00.000Z');
    expect(next('*/15 * * * *', '2026-01-01T10:01:00Z')).toBe('2026-01-01T10:15:00.000Z');
    expect(next('*/15 * * * *', '2026-01-01T10:45:00Z')).toBe('2026-01-01T11:00:00.000Z');
    expect(next('30 2 * * *', '2026-01-01T02:30:00Z')).toBe('2026-01-02T02:30:00.000Z');
  });

  it('handles ranges with steps, lists, month and weekday names, and Sunday as 0 or 7', () => {
    expect(next('0 9-17/4 * * *', '2026-03-02T09:00:00Z')).toBe('2026-03-02T13:00:00.000Z');
    expect(next('0 0 1,15 * *', '2026-03-02T00:00:00Z')).toBe('2026-03-15T00:00:00.000Z');
    expect(next('0 12 * FEB MON', '2026-01-10T00:00:00Z')).toBe('2026-02-02T12:00:00.000Z'); // first Monday of Feb 2026
    expect(next('0 0 * * 7', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z'); // a Sunday
    expect(next('0 0 * * 0', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z');
  });

  it('matches either day field when both are restricted (Vixie cron), and crosses year ends', () => {
    // The 13th or any Friday: Fri 2026-02-13 is both; the next match after it is Fri the 20th.
    expect(next('0 0 13 * 5', '2026-02-09T00:00:00Z')).toBe('2026-02-13T00:00:00.000Z');
    expect(next('0 0 13 * 5', '2026-02-13T00:00:00Z')).toBe('2026-02-20T00:00:00.000Z');
    expect(next('0 0 1 1 *', '2026-06-01T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses what it cannot read, saying which field', () => {
    expect(parseCron('* * * *')).toEqual({ ok: false, reason: expect.stringMatching(/5 fields/) });
    expect(parseCron('60 * * * *')).toEqual({ ok: false, reason: 'minute: 60 is outside 0-59' });
    expect(parseCron('* * * * MOX')).toEqual({ ok: false, reason: 'day of week: "MOX" is not a number' });
    expect(parseCron('*/0 * * * *')).toEqual({ ok: false, reason: 'minute: step "0" must be a positive number' });
    expect(parseCron('5-1 * * * *')).toEqual({ ok: false, reason: 'minute: range 5-1 runs backwards' });
    expect(next('0 0 31 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });
});
