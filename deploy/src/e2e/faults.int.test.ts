import { startSystem, type HubSystem } from '../index';
import { expectNothingLost, FAULT_RETRY_SCHEDULE_MS, heal, underLoad } from './fault.load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Faults under a steady open-loop load of 200 notifies/s for 30 s, against the hub as separate
 * processes (deploy/src/load). The promise to the origin: every event that got a 202 is delivered
 * or sits in dead_letters with a reason. One file, so the loads run one at a time: measured here,
 * two loaded stacks at once with the BlueConic/Copernica emulators in the jest worker fell to
 * ~55 deliveries/s (p50 ≈ 35 s) on this 2-core machine, so the target is the stand-in, which takes
 * the emulators' fault rules (`faults.add({ status: 503 })`, `{ retryAfterSec }`) unchanged.
 * Needs the built services (`npx tsc -b`): the harness spawns their dist/ files.
 */
describe('faults under load', () => {
  let sys: HubSystem;

  beforeAll(async () => {
    // Time is shrunk as in every test: retry buckets of seconds, and a breaker that probes after 5 s
    // (30 s in production), so a fault's backlog settles within the bounded drain.
    sys = await startSystem({ infra: 'dedicated', targets: 'stand-in', retryScheduleMs: FAULT_RETRY_SCHEDULE_MS, env: { HUB_BREAKER_OPEN_MS: '5000' } });
  }, 150_000);
  afterAll(async () => {
    await sys?.stop();
  }, 90_000);
  afterEach(async () => {
    sys.targets.faults.clear();
    await heal(sys);
  }, 60_000);

  it('a worker killed with -9 mid-flight and restarted loses no accepted event', async () => {
    const run = await underLoad(sys, 'worker kill -9', 10, async () => {
      await sys.workers[0]!.kill();
      await sleep(2000);
      await sys.workers[0]!.start();
    });
    expectNothingLost(run);
  }, 150_000);

  it('SIGTERM of ingress, then of the worker: readiness 503 first, prompt exit, no connection error at the client, nothing lost', async () => {
    const readiness: string[] = [];
    const exits: Record<string, boolean> = {};
    const run = await underLoad(sys, 'SIGTERM ingress and worker', 8, async () => {
      sys.ingress.signal('SIGTERM');
      const exited = sys.ingress.waitExit(15_000);
      let gone = false;
      void exited.then(() => (gone = true));
      while (!gone && readiness.length < 1000) {
        const r = await fetch(`${sys.ingressUrl}/readyz`).then((res) => String(res.status), (e) => `error:${(e as { cause?: { code?: string } }).cause?.code ?? 'fetch'}`);
        if (readiness[readiness.length - 1] !== r) readiness.push(r);
        await sleep(10);
      }
      exits.ingressWithin15s = await exited;
      if (!exits.ingressWithin15s) await sys.ingress.kill();
      await sys.ingress.start();
      await sleep(5000);
      sys.workers[0]!.signal('SIGTERM');
      exits.workerWithin15s = await sys.workers[0]!.waitExit(15_000);
      if (!exits.workerWithin15s) await sys.workers[0]!.kill();
      await sys.workers[0]!.start();
    });
    console.log(`[fault: SIGTERM] ingress readiness while stopping: ${readiness.join(' → ')}; exited: ${JSON.stringify(exits)}`);
    expect({
      lost: run.outcome.lost, crashed: run.crashed, networkErrors: run.outcome.networkErrors,
      firstNotReady: readiness.find((r) => r !== '200'), exits,
    }).toEqual({ lost: 0, crashed: [], networkErrors: {}, firstNotReady: '503', exits: { ingressWithin15s: true, workerWithin15s: true } });
  }, 150_000);

  it('the target answers 503 for 20 s, then recovers: every accepted event is delivered or dead-lettered with a reason', async () => {
    const run = await underLoad(sys, 'target 503 for 20 s', 5, async () => {
      sys.targets.faults.add({ status: 503 });
      await sleep(20_000);
      sys.targets.faults.clear();
    });
    expectNothingLost(run);
  }, 150_000);

  it('the target answers 429 with Retry-After for 10 s: the events wait and arrive, none lost', async () => {
    const run = await underLoad(sys, 'target 429 Retry-After 2 s for 10 s', 5, async () => {
      sys.targets.faults.add({ retryAfterSec: 2 });
      await sleep(10_000);
      sys.targets.faults.clear();
    });
    expectNothingLost(run);
  }, 150_000);

  it('a RabbitMQ restart loses no accepted event (the origin is told 503 while it is down, never 202)', async () => {
    const run = await underLoad(sys, 'RabbitMQ restart', 10, () => sys.rabbit!.restart());
    expectNothingLost(run);
  }, 150_000);

  it('a PostgreSQL restart loses no accepted event and crashes no hub process', async () => {
    const run = await underLoad(sys, 'PostgreSQL restart', 10, () => sys.postgres!.restart({ downMs: 3000 }));
    expectNothingLost(run);
  }, 150_000);
});
