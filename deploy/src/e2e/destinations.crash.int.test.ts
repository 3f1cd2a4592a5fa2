import { startSink, type SinkHandle } from '@datahub/emulators';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant } from '../demo/scenarios';
import { HubProcess } from '../load/hub.process';
import { startTestStack, type TestStack } from './test.stack';

/**
 * A worker killed with SIGKILL while its webhook batches are in flight loses nothing: their
 * messages were not acknowledged, so a new worker process batches and delivers every event.
 * Needs the built data plane (`npx tsc -b`): the workers are separate OS processes.
 */
describe('webhook destinations survive kill -9 mid-batch', () => {
  let stack: TestStack;
  let sink: SinkHandle;
  const workers: HubProcess[] = [];
  const logDir = mkdtempSync(join(tmpdir(), 'dest-crash-'));

  const spawnWorker = async (name: string) => {
    const p = new HubProcess({
      name, args: [join(__dirname, '..', '..', '..', 'data-plane', 'dist', 'main.js'), 'worker'],
      env: { ...process.env, ...stack.env, OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info' }, ready: /worker consuming/, logFile: join(logDir, `${name}.log`),
    }, () => undefined);
    workers.push(p);
    await p.start();
    return p;
  };
  const settledRows = async () => {
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      return (await db.query(`SELECT outcome, sum(event_count)::int AS events FROM destination_batches GROUP BY outcome`)).rows as { outcome: string; events: number }[];
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    sink = await startSink();
    stack = await startTestStack();
    // Only separate worker processes consume from here on.
    await stack.worker.close();
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await stack?.stop();
    await sink?.close();
  });

  it('delivers every event of the batches a killed worker had in flight', async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Crash');
    await gqlOk(stack.graphqlUrl, t.token, `mutation { declareEventType(input: { name: "contract.signed", schema: { type: "object", required: ["contract_id"] } }) { id } }`);
    const d = await gqlOk(stack.graphqlUrl, t.token, `mutation($url: String!) { createDestination(input: { name: "crash", url: $url, batchMaxEvents: 5, batchMaxWaitMs: 200 }) { destination { id } } }`,
      { url: sink.hookUrl('crash') });
    expect(d.createDestination.destination.id).toBeTruthy();
    // The receiver answers slowly: the first worker's batches are still in flight when it dies.
    sink.faults.add({ pathPattern: '^/hooks/crash$', latencyMs: 4_000 });
    const ids = Array.from({ length: 20 }, (_, i) => `k${i}`);
    for (const id of ids) await gqlOk(stack.graphqlUrl, t.token, `mutation($id: String!) { publishBusinessEvent(input: { type: "contract.signed", data: { contract_id: $id } }) { eventId } }`, { id });
    // The events wait in hub.destinations; the worker takes them all at once, so every batch is in
    // the air together, however slowly a busy machine published them.
    const first = await spawnWorker('worker-a');
    await new Promise((r) => setTimeout(r, 1_500));
    await first.kill();
    // Nothing was settled before the crash (the batches were in the air)…
    expect(await settledRows()).toEqual([]);
    // …and what the slow receiver finishes after the sender died does not count.
    await new Promise((r) => setTimeout(r, 3_500));
    sink.faults.clear();
    await fetch(`${sink.origin}/deliveries`, { method: 'DELETE' });

    await spawnWorker('worker-b');
    const delivered = await eventually(() => {
      const got = new Set(sink.deliveries('crash').flatMap((x) => (x.json as { events: { data: { contract_id: string } }[] }).events.map((e) => e.data.contract_id)));
      return got.size === ids.length && got;
    }, 30_000);
    expect([...delivered].sort()).toEqual([...ids].sort());
    const rows = await eventually(async () => {
      const r = await settledRows();
      return r.find((x) => x.outcome === 'delivered' && x.events >= ids.length) && r;
    });
    expect(rows.filter((r) => r.outcome !== 'delivered')).toEqual([]);
  });
});
