import { burstFor, leaseTokens, type BucketState } from './token.bucket';

const bucket = (ratePerSec: number, at = 0): BucketState => ({
  ratePerSec, burst: burstFor(ratePerSec), tokens: burstFor(ratePerSec), refilledAtMs: at, windowStartedAtMs: at,
  windowTaken: 0, utilisation: 0, peakUtilisation: 0, threshold: 0,
});

describe('shared token bucket', () => {
  it('never grants more than the rate over 10 s, however greedy the callers', () => {
    let s = bucket(5);
    let granted = 0;
    for (let t = 0; t <= 10_000; t += 7) {
      const lease = leaseTokens(s, t, 3);
      granted += lease.granted;
      s = lease.next;
    }
    expect(granted).toBeLessThanOrEqual(5 * 10 + burstFor(5));
    expect(granted).toBeGreaterThanOrEqual(5 * 10 - 1);
  });

  it('says how long to wait for the next token', () => {
    const empty = { ...bucket(5), tokens: 0 };
    expect(leaseTokens(empty, 0, 1)).toMatchObject({ granted: 0, waitMs: 200 });
  });

  it('leases in batches for fast targets', () => {
    const s = bucket(1000);
    expect(s.burst).toBe(100);
    expect(leaseTokens(s, 0, 100).granted).toBe(100);
  });

  it('reports crossing 80 % and 95 % utilisation, and falling back', () => {
    let s = bucket(10);
    let crossed: (number | null)[] = [];
    for (let t = 0; t <= 10_000; t += 100) {
      const lease = leaseTokens(s, t, 1); // 10/s: the whole limit
      s = lease.next;
      if (lease.crossed !== null) crossed.push(lease.crossed);
    }
    expect(crossed).toEqual([95]);
    expect(s.utilisation).toBeGreaterThan(0.95);
    crossed = [];
    for (let t = 10_100; t <= 20_100; t += 1_000) {
      const lease = leaseTokens(s, t, 1); // 1/s
      s = lease.next;
      if (lease.crossed !== null) crossed.push(lease.crossed);
    }
    expect(crossed).toEqual([0]);
    expect(s.peakUtilisation).toBeGreaterThan(0.95);
  });
});
