import { delayBuckets, ladderStep } from './delay.ladder';

describe('delay ladder', () => {
  const buckets = delayBuckets([30_000, 60_000, 120_000, 300_000, 600_000], [1_000, 5_000, 30_000]);

  it('declares each bucket once, shortest first', () => {
    expect(buckets).toEqual([1_000, 5_000, 30_000, 60_000, 120_000, 300_000, 600_000]);
  });

  it('runs an event that is due now', () => {
    expect(ladderStep(0, buckets, 2_000)).toEqual({ kind: 'now' });
    expect(ladderStep(-5, buckets, 2_000)).toEqual({ kind: 'now' });
  });

  it('never overshoots: the longest bucket that fits, then the remainder', () => {
    expect(ladderStep(45_000, buckets, 2_000)).toEqual({ kind: 'park', bucketMs: 30_000 });
    expect(ladderStep(15_000, buckets, 2_000)).toEqual({ kind: 'park', bucketMs: 5_000 });
    expect(ladderStep(3_600_000, buckets, 2_000)).toEqual({ kind: 'park', bucketMs: 600_000 });
  });

  it('holds a short remainder in memory instead of another hop', () => {
    expect(ladderStep(1_500, buckets, 2_000)).toEqual({ kind: 'wait', ms: 1_500 });
    expect(ladderStep(300, buckets, 2_000)).toEqual({ kind: 'wait', ms: 300 });
  });

  it('adds up to the wait asked for, for waits longer than the longest bucket too', () => {
    for (const wantMs of [61_000, 125_500, 3_600_000 + 700]) {
      let remaining = wantMs;
      let waited = 0;
      for (let hops = 0; hops < 50; hops++) {
        const step = ladderStep(remaining, buckets, 2_000);
        if (step.kind === 'now') break;
        const ms = step.kind === 'wait' ? step.ms : step.bucketMs;
        waited += ms;
        remaining -= ms;
      }
      expect(waited).toBe(wantMs);
    }
  });
});
