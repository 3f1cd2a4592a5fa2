import { Client } from 'pg';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** What a PostgreSQL restart or failover does to the hub's connections, under a steady load. */
describe('delivery engine: the database drops every connection', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400, 800] });
  });
  afterAll(() => stack?.stop());

  it('keeps ingress and worker running and delivers every accepted event', async () => {
    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Failover');
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    const ids = Array.from({ length: 120 }, (_, i) => `bc-db-${i}`);
    for (const id of ids) stack.blueconic.upsertProfile({ id, properties: { email: [`${id}@example.com`], interests: ['x'] } });

    const admin = new Client({ connectionString: stack.db.url });
    await admin.connect();
    const terminate = () => admin.query(`SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    const accepted: string[] = [];
    const refused: number[] = [];
    let killed = 0;
    try {
      for (const [i, id] of ids.entries()) {
        // 60/s, with every hub connection cut three times on the way.
        if (i % 40 === 20) killed += Number((await terminate()).rows[0].n);
        const res = await fetch(`${sync.inboundUrl}?id=${id}`);
        if (res.status === 202) accepted.push(id);
        else refused.push(res.status);
        await new Promise((r) => setTimeout(r, 16));
      }
    } finally {
      await admin.end();
    }
    expect(killed).toBeGreaterThan(3);
    expect(refused.every((s) => s === 503)).toBe(true);
    expect(accepted.length).toBeGreaterThan(100);
    await eventually(() => accepted.every((id) => stack.copernica.profiles(COPERNICA_DB.id).some((p) => p.fields.email === `${id}@example.com`)), 30_000, 200);
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deadLetters { totalCount } } }`, { id: sync.syncId });
    expect(d.sync.deadLetters.totalCount).toBe(0);
    expect((await fetch(`http://127.0.0.1:${stack.worker.healthPort}/readyz`)).status).toBe(200);
    expect((await fetch(`${stack.ingress.url}/readyz`)).status).toBe(200);
  }, 60_000);
});
