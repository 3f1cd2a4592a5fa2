/**
 * When `npm start` restarts a crashed service: exponential back-off, reset once a run was stable,
 * and a bounded number of quick crashes before giving up (what an orchestrator's CrashLoopBackOff does).
 */
export interface RestartPolicy {
  /** Delay before the first restart after a stable run. */
  initialDelayMs: number;
  /** The delay doubles per quick crash up to this. */
  maxDelayMs: number;
  /** A run at least this long counts as stable: the next crash starts the back-off again. */
  stableAfterMs: number;
  /** Consecutive quick crashes after which the service is left stopped. */
  maxQuickCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 15_000,
  stableAfterMs: 30_000,
  maxQuickCrashes: 6,
};

export type RestartDecision =
  | { action: 'restart'; delayMs: number; quickCrashes: number }
  | { action: 'give-up'; quickCrashes: number };

/** Pure: given the quick crashes so far and how long the last run lasted, what happens next. */
export function decideRestart(quickCrashesBefore: number, uptimeMs: number, policy: RestartPolicy): RestartDecision {
  const quickCrashes = uptimeMs >= policy.stableAfterMs ? 1 : quickCrashesBefore + 1;
  if (quickCrashes > policy.maxQuickCrashes) return { action: 'give-up', quickCrashes: quickCrashes - 1 };
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (quickCrashes - 1));
  return { action: 'restart', delayMs, quickCrashes };
}

/** How a process ended, for the log: `exit code 1` or `signal SIGKILL`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal ${signal}`;
  return `exit code ${code ?? 'unknown'}`;
}
