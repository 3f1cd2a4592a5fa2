import { LATENCY_BUCKETS_MS } from '@datahub/proto';

/** One histogram bucket: the count of samples at or below `leMs` (and above the previous bound); -1: above every bound. */
export interface Bucket {
  leMs: number;
  n: number;
}

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const OVERFLOW = -1;

/**
 * Percentiles of a fixed-bucket histogram (the worker's LATENCY_BUCKETS_MS), interpolated linearly
 * inside the bucket the rank falls in (as Prometheus' histogram_quantile does); a rank in the
 * overflow bucket answers the last bound. Null without samples.
 */
export function percentiles(buckets: Bucket[]): Percentiles {
  const bounds = [...LATENCY_BUCKETS_MS, OVERFLOW];
  const counts = bounds.map((le) => buckets.filter((b) => b.leMs === le).reduce((s, b) => s + b.n, 0));
  const count = counts.reduce((a, b) => a + b, 0);
  const at = (q: number): number | null => {
    if (!count) return null;
    const rank = q * count;
    let below = 0;
    for (let i = 0; i < bounds.length; i++) {
      const n = counts[i]!;
      if (n > 0 && below + n >= rank) {
        const upper = bounds[i]!;
        const lower = i === 0 ? 0 : bounds[i - 1]!;
        if (upper === OVERFLOW) return lower;
        return Math.round((lower + ((upper - lower) * (rank - below)) / n) * 100) / 100;
      }
      below += n;
    }
    return LATENCY_BUCKETS_MS.at(-1)!;
  };
  return { count, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
