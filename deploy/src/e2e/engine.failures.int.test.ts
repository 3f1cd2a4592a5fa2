import { loadDataPlaneEnv, startWorker } from '@datahub/data-plane';
import { create, Exchanges, fromBinary, HubEventSchema, Queues, retryQueueName, RoutingKeys, toBinary, TriggerKind } from '@datahub/proto';
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { BLUECONIC_CLIENT, startTestStack, type TestStack } from './test.stack';

/**
 * Every failure ends as a recorded outcome a person can see: nothing loops unseen, nothing is
 * acknowledged before it is durable somewhere.
 */
describe('delivery engine: failures always end recorded', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400] });
    ({ token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Failures'));
  });
  afterAll(() => stack?.stop());

  const syncState = async (syncId: string) => {
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) {
      deliveries(first: 50) { edges { node { eventId attempt outcome error } } }
      deadLetters(first: 20) { edges { node { eventId reason attempts } } }
      versions { source { credential { id status statusReason } } } } }`, { id: syncId });
    return {
      deliveries: d.sync.deliveries.edges.map((e: any) => e.node) as any[],
      deadLetters: d.sync.deadLetters.edges.map((e: any) => e.node) as any[],
      sourceCredential: d.sync.versions[0].source.credential as { id: string; status: string; statusReason: string | null },
    };
  };

  it('dead-letters an event whose source credential the token endpoint refuses, marks the credential FAILING, and clears it after a rotation', async () => {
    const wrong = { ...stack.accounts, blueconicClient: { ...BLUECONIC_CLIENT, clientSecret: 'not-the-secret' } };
    const sync: SyncSetup = await setupScenario1(stack.graphqlUrl, token, projectId, wrong);
    stack.blueconic.upsertProfile({ id: 'bc-locked', properties: { email: ['locked@example.com'], interests: ['x'] } });
    const tokenCalls = () => stack.blueconic.requests.filter((r) => r.authKind === 'client_credentials').length;
    const before = tokenCalls();
    const { eventId } = (await (await fetch(`${sync.inboundUrl}?id=bc-locked`)).json()) as { eventId: string };

    const dead = await eventually(async () => (await syncState(sync.syncId)).deadLetters.find((d) => d.eventId === eventId));
    expect(dead.reason).toMatch(/token endpoint answered HTTP 401/);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(tokenCalls() - before).toBe(1); // refused once, not hammered for ever
    const state = await syncState(sync.syncId);
    expect(state.deliveries.filter((d) => d.eventId === eventId).map((d) => d.outcome)).toEqual(['DEAD_LETTERED']);
    expect(state.sourceCredential).toMatchObject({ status: 'FAILING', statusReason: expect.stringMatching(/token endpoint.*401/) });

    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $secret: CredentialSecretInput!) { rotateCredential(id: $id, secret: $secret) { id } }`, {
      id: state.sourceCredential.id, secret: { oauth2ClientCredentials: BLUECONIC_CLIENT },
    });
    const res = await fetch(`${sync.inboundUrl}?id=bc-locked`);
    expect(res.status).toBe(202);
    await eventually(() => stack.copernica.profiles(1).find((p) => p.fields.email === 'locked@example.com'));
    await eventually(async () => (await syncState(sync.syncId)).sourceCredential.status === 'ACTIVE');
    expect((await syncState(sync.syncId)).sourceCredential.statusReason).toBeNull();
  });

  it('never acknowledges an event whose retry could not be routed: it is retried once the bucket is back', async () => {
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    stack.blueconic.upsertProfile({ id: 'bc-unrouted', properties: { email: ['unrouted@example.com'], interests: ['x'] } });
    const conn = await amqp.connect(stack.env.HUB_AMQP_URL!);
    const ch = await conn.createChannel();
    try {
      await ch.deleteQueue(retryQueueName(200));
      stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 3 });
      const { eventId } = (await (await fetch(`${sync.inboundUrl}?id=bc-unrouted`)).json()) as { eventId: string };
      // The first attempt failed and its retry had nowhere to go: the event must still be in hand.
      await eventually(() => stack.copernica.requests.filter((r) => r.method === 'PUT').length >= 2, 10_000);
      expect(stack.copernica.profiles(1).find((p) => p.fields.email === 'unrouted@example.com')).toBeUndefined();
      // Bring the bucket back the way every process declares it (a reconnecting worker would).
      await ch.assertQueue(retryQueueName(200), { durable: true, arguments: {
        'x-queue-type': 'quorum', 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish',
        'x-message-ttl': 200, 'x-dead-letter-exchange': Exchanges.events, 'x-dead-letter-routing-key': RoutingKeys.work,
      } });
      await eventually(() => stack.copernica.profiles(1).find((p) => p.fields.email === 'unrouted@example.com'), 20_000);
      const state = await syncState(sync.syncId);
      expect(state.deliveries.filter((d) => d.eventId === eventId).some((d) => d.outcome === 'DELIVERED')).toBe(true);
    } finally {
      stack.copernica.faults.clear();
      await conn.close();
    }
  });

  it('dead-letters a message redelivered past the delivery limit (a worker that keeps crashing on it) instead of looping', async () => {
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    await stack.worker.close(); // a "worker" below that never gets past this message
    const { rows: [s] } = await query(`SELECT tenant_id, project_id, active_version FROM syncs WHERE id = $1`, [rawId(sync.syncId)]);
    const event = create(HubEventSchema, {
      eventId: randomUUID(), tenantId: s.tenant_id, projectId: s.project_id, syncId: rawId(sync.syncId), syncVersion: s.active_version,
      trigger: TriggerKind.NOTIFY, entityId: 'bc-poison', attempt: 1, receivedAtMs: BigInt(Date.now()),
    });
    const conn = await amqp.connect(stack.env.HUB_AMQP_URL!);
    const ch = await conn.createChannel();
    let deliveries = 0;
    try {
      ch.publish(Exchanges.events, RoutingKeys.work, Buffer.from(toBinary(HubEventSchema, event)), { persistent: true, messageId: event.eventId });
      await ch.prefetch(1);
      await ch.consume(Queues.work, (msg) => {
        if (!msg) return;
        expect(fromBinary(HubEventSchema, msg.content).eventId).toBe(event.eventId);
        deliveries++;
        ch.nack(msg, false, true); // what a crash before the ack amounts to
      });
      await eventually(async () => (await ch.checkQueue(Queues.dead)).messageCount === 1, 20_000);
      expect(deliveries).toBeGreaterThan(20); // HUB_DELIVERY_LIMIT's default
    } finally {
      await conn.close();
    }
    stack.worker = await startWorker(loadDataPlaneEnv(stack.env));
    const dead = await eventually(async () => (await syncState(sync.syncId)).deadLetters.find((d) => d.eventId === event.eventId));
    expect(dead.reason).toMatch(/delivery limit/);
  });

  async function query(sql: string, params: unknown[]) {
    const c = new Client({ connectionString: stack.db.url });
    await c.connect();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  }
});

/** Global ids are base64url of `Type:uuid`. */
function rawId(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':').pop()!;
}
