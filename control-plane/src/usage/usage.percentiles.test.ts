import { percentiles } from './usage.percentiles';

describe('latency percentiles from histogram buckets', () => {
  it('is null without samples', () => {
    expect(percentiles([])).toEqual({ count: 0, p50: null, p95: null, p99: null });
  });

  it('interpolates inside the bucket the rank falls in', () => {
    // 100 samples: 50 in (50, 100], 45 in (100, 250], 5 in (250, 500].
    const p = percentiles([{ leMs: 100, n: 50 }, { leMs: 250, n: 45 }, { leMs: 500, n: 5 }]);
    expect(p.count).toBe(100);
    expect(p.p50).toBe(100); // rank 50: the top of the first bucket
    expect(p.p95).toBe(250); // rank 95: the top of the second
    expect(p.p99).toBe(450); // rank 99: 4 of 5 into (250, 500]
  });

  it('adds buckets of several hours and answers the last bound for the overflow bucket', () => {
    const p = percentiles([{ leMs: 10, n: 1 }, { leMs: 10, n: 1 }, { leMs: -1, n: 98 }]);
    expect(p.count).toBe(100);
    expect(p.p50).toBe(3_600_000);
    expect(percentiles([{ leMs: 10, n: 2 }]).p50).toBe(7.5); // (5, 10]: halfway
  });
});
