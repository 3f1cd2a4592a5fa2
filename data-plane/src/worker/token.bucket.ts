/** The shared token bucket of one target, as stored in target_rate_buckets; pure arithmetic, no I/O. */
export interface BucketState {
  ratePerSec: number;
  burst: number;
  tokens: number;
  refilledAtMs: number;
  windowStartedAtMs: number;
  windowTaken: number;
  utilisation: number;
  peakUtilisation: number;
  threshold: number;
}

export const UTILISATION_WINDOW_MS = 10_000;
/** Utilisation levels reported when crossed (the integration spec: 80 % and 95 %). */
export const THRESHOLDS = [95, 80] as const;

export interface Lease {
  granted: number;
  /** When nothing was granted: how long until one token is there. */
  waitMs: number;
  next: BucketState;
  /** Set when utilisation moved to another threshold level (0, 80 or 95). */
  crossed: number | null;
}

/** The burst a bucket allows: small, so that no 10 s window sees more than ~2 % over the limit. */
export function burstFor(ratePerSec: number): number {
  return Math.max(1, Math.ceil(ratePerSec * 0.1));
}

/** Refills by elapsed time, grants up to `want` whole tokens, and rolls the utilisation window. */
export function leaseTokens(s: BucketState, nowMs: number, want: number): Lease {
  const elapsedSec = Math.max(0, nowMs - s.refilledAtMs) / 1000;
  const available = Math.min(s.burst, s.tokens + elapsedSec * s.ratePerSec);
  const granted = Math.max(0, Math.min(want, Math.floor(available)));
  const next: BucketState = { ...s, tokens: available - granted, refilledAtMs: nowMs, windowTaken: s.windowTaken + granted };
  let crossed: number | null = null;
  const windowMs = nowMs - s.windowStartedAtMs;
  if (windowMs >= UTILISATION_WINDOW_MS) {
    next.utilisation = Math.min(1, next.windowTaken / (s.ratePerSec * (windowMs / 1000)));
    next.peakUtilisation = Math.max(s.peakUtilisation, next.utilisation);
    next.windowStartedAtMs = nowMs;
    next.windowTaken = 0;
    const level = THRESHOLDS.find((t) => next.utilisation * 100 >= t) ?? 0;
    if (level !== s.threshold) {
      next.threshold = level;
      crossed = level;
    }
  }
  const waitMs = granted > 0 ? 0 : Math.ceil(((1 - available) / s.ratePerSec) * 1000);
  return { granted, waitMs, next, crossed };
}
