import { randomBytes } from 'node:crypto';
import { drain, driveOpenLoop, summarize, type HubSystem, type LoadOutcome, type SentEvent } from '../index';

export const FAULT_RATE_PER_SEC = 200;
export const FAULT_LOAD_SEC = 30;
/** Short retry buckets so that a fault's retries and dead letters settle within the test. */
export const FAULT_RETRY_SCHEDULE_MS = [1000, 2000, 4000, 8000];
/** A 20 s outage leaves a backlog that parks behind the breaker and then drains; measured: ~40 s. */
const DRAIN_TIMEOUT_MS = 60_000;

export interface FaultRun {
  outcome: LoadOutcome;
  drained: boolean;
  /** Hub processes that exited without the test asking them to, while the load ran or drained. */
  crashed: string[];
  events: SentEvent[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A steady open-loop load of 200 notifies/s for 30 s through the gateway, `fault` started `atSec`
 * into it; then a bounded drain, and the counts printed (they appear in the test output).
 */
export async function underLoad(sys: HubSystem, title: string, atSec: number, fault: () => Promise<void>): Promise<FaultRun> {
  const tag = `${title.replace(/\W+/g, '-')}-${randomBytes(2).toString('hex')}`;
  const total = FAULT_RATE_PER_SEC * FAULT_LOAD_SEC;
  const profileIdOf = (i: number) => `${tag}-${i}`;
  sys.targets.seedProfiles(Array.from({ length: total }, (_, i) => profileIdOf(i)));
  const exitsBefore = sys.exits.length;
  const load = driveOpenLoop({ inboundUrl: sys.inboundUrl, ratePerSec: FAULT_RATE_PER_SEC, durationSec: FAULT_LOAD_SEC, profileIdOf });
  const faulted = sleep(atSec * 1000).then(fault);
  const [events] = await Promise.all([load.done, faulted]);
  const dead = async () => new Set((await sys.deadLetters()).keys());
  const drained = await drain(events, sys.targets.receipts, dead, { timeoutMs: DRAIN_TIMEOUT_MS, settleMs: 2000 });
  const outcome = summarize(events, sys.targets.receipts, drained.deadLetters);
  const crashed = sys.exits.slice(exitsBefore).filter((e) => e.unexpected).map((e) => `${e.name} (pid ${e.pid}, code ${e.code}, signal ${e.signal})`);
  console.log(`[fault: ${title}] ` + JSON.stringify({
    sent: outcome.sent, accepted: outcome.accepted, refused: outcome.refused, networkErrors: outcome.networkErrors,
    delivered: outcome.delivered, deadLettered: outcome.deadLettered, lost: outcome.lost, duplicates: outcome.duplicates,
    extraDeliveries: outcome.extraDeliveries, deliveredUnaccepted: outcome.deliveredUnaccepted, latencyMs: outcome.latencyMs,
    drained: drained.drained, drainMs: drained.waitedMs, crashed, lostSample: outcome.lostSample,
  }, null, 1));
  return { outcome, drained: drained.drained, crashed, events };
}

/** Starts whatever hub process is not running (after a crash the previous test caused), so the next test starts whole. */
export async function heal(sys: HubSystem): Promise<void> {
  for (const p of [sys.controlPlane, sys.ingress, ...sys.workers, sys.gateway]) {
    if (!p.running) {
      console.log(`[fault] restarting ${p.spec.name}, which is not running`);
      await p.start();
    }
  }
}

/** The user-visible promise: every event that got a 202 was delivered or dead-lettered with a reason, and no process crashed. */
export function expectNothingLost(run: FaultRun): void {
  expect({ lost: run.outcome.lost, crashed: run.crashed }).toEqual({ lost: 0, crashed: [] });
}
