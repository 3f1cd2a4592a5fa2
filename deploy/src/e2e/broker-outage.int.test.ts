import amqp from 'amqplib';
import { Exchanges, Queues, RoutingKeys } from '@datahub/proto';
import { eventually } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { startDedicatedRabbit } from '../test/test-env';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** The origin is told 503 + Retry-After, never 202, whenever the hub could not queue its event. */
describe('ingress when the broker is away', () => {
  let rabbit: Awaited<ReturnType<typeof startDedicatedRabbit>>;
  let stack: TestStack;
  let sync: SyncSetup;

  beforeAll(async () => {
    rabbit = await startDedicatedRabbit();
    stack = await startTestStack({ amqpUrl: rabbit.url, env: { HUB_PUBLISH_CONFIRM_TIMEOUT_MS: '1500' } });
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Outage Club');
    sync = await setupScenario1(stack.graphqlUrl, t.token, t.projectId, stack.accounts);
    stack.blueconic.upsertProfile({ id: 'o1', properties: { email: ['o1@example.com'], interests: ['x'] } });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    await rabbit?.stop();
  });

  it('answers 503 with Retry-After while the broker is down, and 202 again once it is back', async () => {
    expect((await fetch(`${sync.inboundUrl}?id=o1`)).status).toBe(202);
    await rabbit.kill();
    const down = await fetch(`${sync.inboundUrl}?id=o1`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(((await down.json()) as any).error.code).toBe('broker_unavailable');
    await rabbit.restart();
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=o1`)).status === 202, 30_000, 250);
    // The event accepted after the outage is delivered too.
    stack.blueconic.upsertProfile({ id: 'o2', properties: { email: ['o2@example.com'], interests: ['x'] } });
    expect((await fetch(`${sync.inboundUrl}?id=o2`)).status).toBe(202);
    await eventually(() => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'o2@example.com'), 30_000);
  }, 90_000);

  it('does not answer 202 for an event no queue would receive (mandatory publish)', async () => {
    const conn = await amqp.connect(rabbit.url);
    const ch = await conn.createChannel();
    try {
      await ch.unbindQueue(Queues.work, Exchanges.events, RoutingKeys.work);
      const res = await fetch(`${sync.inboundUrl}?id=o1`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
    } finally {
      await ch.bindQueue(Queues.work, Exchanges.events, RoutingKeys.work);
      await conn.close();
    }
    expect((await fetch(`${sync.inboundUrl}?id=o1`)).status).toBe(202);
  });

  it('turns not ready and answers 503 at once while the broker blocks publishers (memory alarm), then accepts again', async () => {
    await rabbit.ctl(['set_vm_memory_high_watermark', '0.000001']);
    try {
      // RabbitMQ blocks a connection when it next publishes: that request must not hang.
      const first = await eventually(async () => {
        const started = Date.now();
        const res = await fetch(`${sync.inboundUrl}?id=o1`);
        return res.status === 503 && { waitedMs: Date.now() - started, retryAfter: res.headers.get('retry-after') };
      }, 15_000, 100);
      expect(first.waitedMs).toBeLessThan(3_000);
      expect(first.retryAfter).toBeTruthy();
      const ready = await eventually(async () => {
        const r = await fetch(`${stack.ingress.url}/readyz`);
        return r.status === 503 && ((await r.json()) as { reason: string });
      }, 5_000, 100);
      expect(ready.reason).toMatch(/blocked/);
      const started = Date.now();
      expect((await fetch(`${sync.inboundUrl}?id=o1`)).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(500); // known blocked: refused at once
    } finally {
      await rabbit.ctl(['set_vm_memory_high_watermark', '0.4']);
    }
    await eventually(async () => (await fetch(`${stack.ingress.url}/readyz`)).status === 200, 15_000, 100);
    stack.blueconic.upsertProfile({ id: 'o3', properties: { email: ['o3@example.com'], interests: ['x'] } });
    expect((await fetch(`${sync.inboundUrl}?id=o3`)).status).toBe(202);
    await eventually(() => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'o3@example.com'), 30_000);
  }, 60_000);
});
