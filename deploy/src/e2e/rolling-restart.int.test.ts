import { randomBytes } from 'node:crypto';
import { drain, driveOpenLoop, startSystem, summarize, type HubProcess, type HubSystem } from '../index';

/**
 * ~100/s, as the issue asks. Measured on this 2-core machine: with the machine to itself (load
 * average 6–12) 4,165 events, 0 errors, p95 4.4 s. While the whole team ran its tests too (load
 * average 20–29) the hub could not keep up with 100/s whatever was restarted: p50 44 s and 365 of
 * 13,389 requests over the 30 s client timeout, from 6 s into the load, before any replacement
 * (still 0 resets, 0 non-2xx, 0 lost); 30/s passed there.
 */
const RATE_PER_SEC = 100;
const WARM_UP_SEC = 8;
/**
 * How long the client waits for an answer: the gateway's own upstream timeout (30 s), what webhook
 * senders commonly allow. On the shared machine a process starting up starves the others for
 * seconds; a slow answer is not the reset or refusal this test is about (it is printed as ETIMEDOUT).
 */
const CLIENT_TIMEOUT_MS = 30_000;
/** The load runs at least this long, and on until the last replacement has settled. */
const MIN_LOAD_SEC = 40;
/** A rollout that has not finished within this fails the test (the load stops then too). */
const MAX_LOAD_SEC = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replacement {
  /** Seconds into the load when the old process got SIGTERM. */
  atSec: number;
  old: string;
  fresh: string;
  /** How long the old process took from SIGTERM to exit, and whether it exited cleanly. */
  stopMs: number;
  exitedClean: boolean;
}

/**
 * A rolling restart under a steady open-loop load through the gateway: 2 ingress and 2 worker
 * processes (the hub as separate OS processes, deploy/src/load), each replaced one by one as an
 * orchestrator does it (surge of one): the new process starts and is ready, then the old one gets
 * SIGTERM and drains (ingress: readiness 503 so the gateway stops routing to it, in-flight
 * publishes finish; worker: stops consuming, finishes and acks what it holds). Printed and
 * asserted: no connection error at the client, no answer but 202, every accepted event delivered.
 */
describe('rolling restart of every ingress and worker under steady load', () => {
  let sys: HubSystem;

  beforeAll(async () => {
    sys = await startSystem({
      infra: 'test', targets: 'stand-in', ingresses: 2, spareIngressSlots: 1, workers: 2,
      env: { HUB_DRAIN_GRACE_MS: '1500', HUB_GATEWAY_PROBE_INTERVAL_MS: '250' },
    });
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
  }, 90_000);

  /** SIGTERM, and how it went (a bounded wait: a process that hangs fails the test and is killed). */
  let loadStartedMs = 0;
  async function retire(p: HubProcess): Promise<{ atSec: number; stopMs: number; exitedClean: boolean }> {
    const exits = sys.exits.length;
    const started = Date.now();
    const atSec = Math.round((started - loadStartedMs) / 100) / 10;
    p.signal('SIGTERM');
    const exited = await p.waitExit(20_000);
    if (!exited) await p.kill();
    const record = sys.exits.slice(exits).find((e) => e.name === p.spec.name);
    return { atSec, stopMs: Date.now() - started, exitedClean: exited && record?.code === 0 };
  }

  async function rollIngresses(log: Replacement[]): Promise<void> {
    for (const old of [...sys.ingresses]) {
      const busy = new Set(sys.ingresses.filter((p) => p.running).map((p) => Number(p.spec.env.HUB_INGRESS_PORT)));
      const slot = sys.ingressSlots.find((u) => !busy.has(Number(new URL(u).port)))!;
      const fresh = await sys.addIngress(slot);
      // Ready before traffic: wait until its readiness says so and the gateway's probe has seen it.
      await waitReady(`${slot}/readyz`);
      await sleep(1_000);
      log.push({ old: old.spec.name, fresh: fresh.spec.name, ...(await retire(old)) });
      sys.ingresses.splice(sys.ingresses.indexOf(old), 1, fresh);
      await sleep(2_000);
    }
  }

  async function rollWorkers(log: Replacement[]): Promise<void> {
    for (const old of [...sys.workers]) {
      const fresh = await sys.addWorker();
      log.push({ old: old.spec.name, fresh: fresh.spec.name, ...(await retire(old)) });
      sys.workers.splice(sys.workers.indexOf(old), 1, fresh);
      await sleep(2_000);
    }
  }

  it('replaces every process one by one: 0 connection errors, 0 non-2xx, 0 lost', async () => {
    const tag = `roll-${randomBytes(2).toString('hex')}`;
    const profileIdOf = (i: number) => `${tag}-${i}`;
    sys.targets.seedProfiles(Array.from({ length: RATE_PER_SEC * MAX_LOAD_SEC }, (_, i) => profileIdOf(i)));
    sys.targets.seedProfiles(Array.from({ length: RATE_PER_SEC * WARM_UP_SEC }, (_, i) => `${tag}-warm-${i}`));
    // Warm-up at the same rate (JIT, connection pools, caches): a cold start on a busy machine is not what is measured.
    const warm = await driveOpenLoop({ inboundUrl: sys.inboundUrl, ratePerSec: RATE_PER_SEC, durationSec: WARM_UP_SEC, timeoutMs: CLIENT_TIMEOUT_MS, profileIdOf: (i) => `${tag}-warm-${i}` }).done;
    console.log(`[rolling restart] warm-up: ${warm.filter((e) => e.status === 202).length} of ${warm.length} accepted`);
    const exitsBefore = sys.exits.length;
    loadStartedMs = Date.now();
    const load = driveOpenLoop({ inboundUrl: sys.inboundUrl, ratePerSec: RATE_PER_SEC, durationSec: MAX_LOAD_SEC, timeoutMs: CLIENT_TIMEOUT_MS, profileIdOf });
    const replaced: Replacement[] = [];
    const rolled = (async () => {
      try {
        await sleep(4_000);
        await rollIngresses(replaced);
        await rollWorkers(replaced);
        // Load goes on after the last replacement (only new processes serve now), then stops.
        await sleep(Math.max(3_000, MIN_LOAD_SEC * 1000 - (Date.now() - loadStartedMs)));
      } finally {
        load.stop();
      }
    })();
    const [events] = await Promise.all([load.done, rolled]);
    const dead = async () => new Set((await sys.deadLetters()).keys());
    const drained = await drain(events, sys.targets.receipts, dead, { timeoutMs: 60_000, settleMs: 2_000 });
    const outcome = summarize(events, sys.targets.receipts, drained.deadLetters);
    const crashed = sys.exits.slice(exitsBefore).filter((e) => e.unexpected).map((e) => `${e.name} (code ${e.code}, signal ${e.signal})`);
    const nonSuccess = Object.values(outcome.refused).reduce((a, b) => a + b, 0);
    const connectionErrors = Object.values(outcome.networkErrors).reduce((a, b) => a + b, 0);
    // When the failures happened (second of the load → count), to set them beside the replacements.
    const failuresBySecond: Record<number, number> = {};
    for (const e of events) {
      const sec = Math.floor((e.dueMs - loadStartedMs) / 1000);
      if (e.status !== 202) failuresBySecond[sec] = (failuresBySecond[sec] ?? 0) + 1;
    }
    console.log(`[rolling restart] ${JSON.stringify({
      sent: outcome.sent, accepted: outcome.accepted, connectionErrors, networkErrors: outcome.networkErrors, nonSuccess,
      refused: outcome.refused, delivered: outcome.delivered, deadLettered: outcome.deadLettered, lost: outcome.lost,
      duplicates: outcome.duplicates, latencyMs: outcome.latencyMs, drainMs: drained.waitedMs, replaced, failuresBySecond, crashed, lostSample: outcome.lostSample,
    }, null, 1)}`);

    expect(replaced.map((r) => r.old).sort()).toEqual(['ingress', 'ingress-2', 'worker-1', 'worker-2']);
    const loadSec = (events[events.length - 1]!.dueMs - events[0]!.dueMs) / 1000;
    expect(loadSec).toBeGreaterThanOrEqual(MIN_LOAD_SEC - 1);
    expect(loadSec).toBeLessThan(MAX_LOAD_SEC - 1); // the rollout finished while the load ran
    expect({ connectionErrors, nonSuccess, lost: outcome.lost, deadLettered: outcome.deadLettered,
      deliveredAllAccepted: outcome.delivered === outcome.accepted, crashed, allExitedClean: replaced.every((r) => r.exitedClean),
    }).toEqual({
      connectionErrors: 0, nonSuccess: 0, lost: 0, deadLettered: 0,
      deliveredAllAccepted: true, crashed: [], allExitedClean: true,
    });
  }, 330_000);
});

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${url} did not become ready`);
}
