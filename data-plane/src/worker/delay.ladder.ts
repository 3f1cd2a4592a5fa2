/**
 * Waits of any length out of a fixed set of delay queues. A parked event carries its
 * `notBeforeMs`; each hop takes the longest bucket that does not overshoot, and the last bit
 * (shorter than the smallest bucket) is waited out in the worker, so an event never comes back
 * early and is at most a few ms late.
 */
export type LadderStep = { kind: 'now' } | { kind: 'wait'; ms: number } | { kind: 'park'; bucketMs: number };

/** What to do with an event due in `remainingMs`; `localWaitMaxMs` bounds a wait held in memory. */
export function ladderStep(remainingMs: number, bucketsMs: readonly number[], localWaitMaxMs: number): LadderStep {
  if (remainingMs <= 0) return { kind: 'now' };
  const sorted = [...bucketsMs].sort((a, b) => a - b);
  const smallest = sorted[0]!;
  // A remainder short enough to hold in memory is cheaper (and more exact) than more hops.
  if (remainingMs <= localWaitMaxMs && remainingMs < smallest * 2) return { kind: 'wait', ms: remainingMs };
  return { kind: 'park', bucketMs: bucketFor(remainingMs, sorted) };
}

/** The longest bucket that does not overshoot; the shortest when even that is too long. */
export function bucketFor(remainingMs: number, bucketsMs: readonly number[]): number {
  const sorted = [...bucketsMs].sort((a, b) => a - b);
  return sorted.filter((b) => b <= remainingMs).at(-1) ?? sorted[0]!;
}

/** The buckets to declare: the default retry schedule plus the parking ladder, without repeats. */
export function delayBuckets(retryScheduleMs: readonly number[], ladderMs: readonly number[]): number[] {
  return [...new Set([...retryScheduleMs, ...ladderMs])].sort((a, b) => a - b);
}
