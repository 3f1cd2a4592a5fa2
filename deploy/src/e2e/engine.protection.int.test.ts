import { loadDataPlaneEnv, startWorker, type Running } from '@datahub/data-plane';
import { Client } from 'pg';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** Targets are protected: a circuit breaker per target, a shared rate limit, Retry-After honoured exactly. */
describe('delivery engine: protecting targets', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;
  let second: Running;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400, 800, 1600, 3200], env: { HUB_BREAKER_OPEN_MS: '2000' } });
    second = await startWorker(loadDataPlaneEnv(stack.env));
    ({ token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Protection'));
  });
  afterAll(async () => {
    await second?.close();
    await stack?.stop();
  });
  afterEach(() => stack.copernica.faults.clear());

  const puts = () => stack.copernica.requests.filter((r) => r.method === 'PUT');
  const deliveries = async (syncId: string) => {
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries(first: 100) { edges { node { eventId attempt outcome } } } } }`, { id: syncId });
    return d.sync.deliveries.edges.map((e: any) => e.node) as { eventId: string; attempt: number; outcome: string }[];
  };
  const sql = async (text: string, params: unknown[] = []) => {
    const c = new Client({ connectionString: stack.db.url });
    await c.connect();
    try {
      return (await c.query(text, params)).rows;
    } finally {
      await c.end();
    }
  };

  it('opens the circuit after 5 failures, parks work without using attempts, probes, and delivers everything once the target recovers', async () => {
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503 });
    const ids = Array.from({ length: 10 }, (_, i) => `bc-cb-${i}`);
    for (const id of ids) stack.blueconic.upsertProfile({ id, properties: { email: [`${id}@example.com`], interests: ['x'] } });
    await Promise.all(ids.map((id) => fetch(`${sync.inboundUrl}?id=${id}`)));

    const [circuit] = await eventually(async () => {
      const rows = await sql(`SELECT state, opened_at, last_failure FROM target_circuits WHERE host = $1`, [new URL(stack.copernica.url).host]);
      return rows[0]?.state === 'open' && rows;
    }, 10_000);
    expect(circuit.last_failure).toContain('503');
    await new Promise((r) => setTimeout(r, 300)); // calls already under way when it opened
    // While open, the target sees at most one probe per open period, not the retries of 10 events.
    const whileOpen = puts().length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(puts().length - whileOpen).toBeLessThanOrEqual(1);

    stack.copernica.faults.clear();
    await eventually(() => ids.every((id) => stack.copernica.profiles(COPERNICA_DB.id).some((p) => p.fields.email === `${id}@example.com`)), 20_000);
    const rows = await deliveries(sync.syncId);
    // Parked events kept their attempts: nobody ran out of the 6 attempts and was dead-lettered.
    expect(rows.filter((r) => r.outcome === 'DEAD_LETTERED')).toEqual([]);
    expect(new Set(rows.filter((r) => r.outcome === 'DELIVERED').map((r) => r.eventId)).size).toBe(10);
    const [closed] = await sql(`SELECT state, opened_at, half_opened_at, closed_at FROM target_circuits WHERE host = $1`, [new URL(stack.copernica.url).host]);
    expect(closed.state).toBe('closed');
    expect(closed.half_opened_at.getTime()).toBeGreaterThanOrEqual(closed.opened_at.getTime());
    expect(closed.closed_at.getTime()).toBeGreaterThanOrEqual(closed.half_opened_at.getTime());
  });

  it('keeps two workers together under the sync\'s rate limit: no 10 s window sees more than 5 % over it', async () => {
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts, { delivery: { rateLimitPerSec: 5 } });
    const ids = Array.from({ length: 70 }, (_, i) => `bc-rl-${i}`);
    for (const id of ids) stack.blueconic.upsertProfile({ id, properties: { email: [`${id}@example.com`], interests: ['x'] } });
    const mine = () => puts().filter((r) => String(r.query['fields[]']).startsWith('email==bc-rl-')).length;
    const at: number[] = [];
    const timer = setInterval(() => {
      const n = mine();
      while (at.length < n) at.push(Date.now());
    }, 5);
    try {
      await Promise.all(ids.map((id) => fetch(`${sync.inboundUrl}?id=${id}`)));
      await eventually(() => at.length >= 70, 30_000, 100);
    } finally {
      clearInterval(timer);
    }
    let worst = 0;
    for (let i = 0; i < at.length; i++) worst = Math.max(worst, at.filter((t) => t >= at[i]! && t < at[i]! + 10_000).length);
    expect(worst).toBeLessThanOrEqual(Math.floor(5 * 10 * 1.05));
    expect(worst).toBeGreaterThanOrEqual(40); // and it does use the limit
    const [bucket] = await sql(`SELECT rate_per_sec, peak_utilisation FROM target_rate_buckets WHERE host = $1 AND rate_per_sec = 5`, [new URL(stack.copernica.url).host]);
    expect(bucket.peak_utilisation).toBeGreaterThan(0.8);
  }, 60_000);

  it('honours Retry-After exactly, also when it is longer than the longest retry bucket', async () => {
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts, { delivery: { retryScheduleSec: [1, 1] } });
    stack.blueconic.upsertProfile({ id: 'bc-ra', properties: { email: ['ra@example.com'], interests: ['x'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 429, retryAfterSec: 5, times: 1 });
    const marks: number[] = [];
    const count = () => puts().filter((r) => r.query['fields[]'] === 'email==ra@example.com').length;
    const timer = setInterval(() => {
      while (marks.length < count()) marks.push(Date.now());
    }, 5);
    try {
      await fetch(`${sync.inboundUrl}?id=bc-ra`);
      await eventually(() => marks.length >= 2, 15_000, 50);
    } finally {
      clearInterval(timer);
    }
    const waitedMs = marks[1]! - marks[0]!;
    expect(waitedMs).toBeGreaterThanOrEqual(5_000);
    expect(waitedMs).toBeLessThan(6_000);
  }, 30_000);
});
