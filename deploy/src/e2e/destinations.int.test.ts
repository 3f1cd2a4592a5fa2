import { startSink, type SinkHandle } from '@datahub/emulators';
import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/**
 * Webhook destinations and business events through the whole hub: GraphQL configures, the worker's
 * destination consumer batches, signs and delivers to the webhook-sink emulator.
 */
describe('webhook destinations and business events', () => {
  let stack: TestStack;
  let sink: SinkHandle;
  let t: { tenantId: string; token: string };
  const run = (q: string, v: Record<string, unknown> = {}) => gql(stack.graphqlUrl, t.token, q, v);
  const ok = (q: string, v: Record<string, unknown> = {}) => gqlOk(stack.graphqlUrl, t.token, q, v);
  const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;

  const contractSigned = {
    type: 'object', required: ['contract_id', 'amount'],
    properties: { contract_id: { type: 'string' }, amount: { type: 'object', required: ['value'], properties: { value: { type: 'number', minimum: 0 } } } },
  };

  async function createDestination(channel: string, extra: Record<string, unknown> = {}) {
    const d = await ok(`mutation($input: CreateDestinationInput!) { createDestination(input: $input) { signingSecret destination { id enabled signatureHeader } } }`, {
      input: { name: channel, url: sink.hookUrl(channel), batchMaxEvents: 5, batchMaxWaitMs: 400, ...extra },
    });
    sink.configure(channel, { hmacHeader: 'X-SportsStack-Signature', hmacSecrets: [d.createDestination.signingSecret], standardWebhooksSecrets: [d.createDestination.signingSecret] });
    return { id: d.createDestination.destination.id as string, secret: d.createDestination.signingSecret as string };
  }
  const publish = (type: string, data: unknown) => run(`mutation($input: PublishBusinessEventInput!) { publishBusinessEvent(input: $input) { eventId destinations } }`, { input: { type, data } });

  beforeAll(async () => {
    sink = await startSink();
    stack = await startTestStack({ env: { HUB_DESTINATION_DISABLE_AFTER_MS: '1000' } });
    t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Destinations');
    for (const name of ['contract.signed', 'payment.received']) {
      await ok(`mutation($input: DeclareEventTypeInput!) { declareEventType(input: $input) { id name } }`, { input: { name, schema: contractSigned } });
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
  });

  it('batches business events per (destination, type) in the guide\'s payload, signed both ways, one webhook-id per batch', async () => {
    // A long wait, so that however slowly the 12 publishes go, the size limit alone cuts the batches.
    await createDestination('batches', { eventTypes: ['contract.signed'], batchMaxWaitMs: 5_000 });
    for (let i = 0; i < 12; i++) expect((await publish('contract.signed', { contract_id: `c${i}`, amount: { value: i } })).errors).toBeUndefined();
    // Another type the destination does not take.
    expect((await publish('payment.received', { contract_id: 'p', amount: { value: 1 } })).data?.publishBusinessEvent.destinations).toBe(0);
    const got = await eventually(() => {
      const d = sink.deliveries('batches');
      return d.reduce((n, x) => n + (x.json as { batch_size: number }).batch_size, 0) >= 12 && d;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(sink.deliveries('batches')).toHaveLength(got.length);
    const sizes = got.map((d) => (d.json as { batch_size: number }).batch_size).sort();
    expect(sizes).toEqual([2, 5, 5]);
    for (const d of got) {
      const body = d.json as Record<string, any>;
      expect(Object.keys(body)).toEqual(['stream', 'resource_type', 'tenant_id', 'events', 'batch_size']);
      expect(body).toMatchObject({ stream: 'business_event', resource_type: 'contract.signed', tenant_id: rawId(t.tenantId) });
      expect(body.events.length).toBe(body.batch_size);
      expect(body.events[0]).toMatchObject({ resource_type: 'contract.signed', hash: expect.stringMatching(/^[0-9a-f]{64}$/), changed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
      expect(d.verification).toEqual({ hmac: true, standardWebhooks: true });
    }
    const ids = got.map((d) => d.headers['webhook-id']);
    expect(new Set(ids).size).toBe(3);
    const contracts = got.flatMap((d) => (d.json as any).events.map((e: any) => e.data.contract_id)).sort();
    expect(contracts).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`).sort());
  });

  it('refuses an event that does not match its schema with the JSON pointer of the failing field', async () => {
    const r = await publish('contract.signed', { contract_id: 'x', amount: { value: -5 } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.data', pointer: '/amount/value' });
    const missing = await publish('contract.signed', { amount: { value: 1 } });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ pointer: '/contract_id' });
    const unknown = await publish('league.onboarded', {});
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.type' });
    const badSchema = await run(`mutation { declareEventType(input: { name: "league.onboarded", schema: { type: "objekt" } }) { id } }`);
    expect(badSchema.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.schema' });
  });

  it('retries a failed batch with the same webhook-id and records it in the delivery log', async () => {
    const { id } = await createDestination('retry');
    sink.faults.add({ pathPattern: '^/hooks/retry$', status: 503, times: 1 });
    await publish('payment.received', { contract_id: 'r1', amount: { value: 1 } });
    const [d] = await eventually(() => sink.deliveries('retry').length > 0 && sink.deliveries('retry'));
    const attempts = sink.requests.filter((r) => r.path === '/hooks/retry');
    expect(attempts.map((r) => r.status)).toEqual([503, 200]);
    expect(attempts[0]!.headers['webhook-id']).toBe(d!.headers['webhook-id']);
    const log = await eventually(async () => {
      const v = await ok(`query($id: ID!) { destination(id: $id) { failingSince deliveries(first: 5) { edges { node { webhookId outcome attempts lastStatus eventCount } } } } }`, { id });
      const n = v.destination.deliveries.edges[0]?.node;
      return n?.outcome === 'DELIVERED' && v;
    });
    expect(log.destination.deliveries.edges[0].node).toMatchObject({ webhookId: d!.headers['webhook-id'], attempts: 2, lastStatus: 200, eventCount: 1 });
    expect(log.destination.failingSince).toBeNull();
  });

  it('sendTestWebhook sends the guide\'s test payload now', async () => {
    const { id } = await createDestination('test', { headers: [{ name: 'Authorization', value: 'Bearer customer-key' }] });
    const r = await ok(`mutation($id: ID!) { sendTestWebhook(destinationId: $id) { ok status webhookId error } }`, { id });
    expect(r.sendTestWebhook).toMatchObject({ ok: true, status: 200, error: null });
    const [d] = sink.deliveries('test');
    expect(d!.json).toMatchObject({ stream: 'change_log', resource_type: 'webhook_test', tenant_id: rawId(t.tenantId), batch_size: 1, events: [{ resource_type: 'webhook_test', test: true }] });
    expect(d!.headers.authorization).toBe('Bearer customer-key');
    expect(d!.headers['webhook-id']).toBe(r.sendTestWebhook.webhookId);
    expect(d!.verification).toEqual({ hmac: true, standardWebhooks: true });
    const view = await ok(`query($id: ID!) { destination(id: $id) { headerNames secrets { fingerprint } } }`, { id });
    expect(view.destination.headerNames).toEqual(['authorization']);
    expect(JSON.stringify(view)).not.toContain('customer-key');
  });

  it('rotates the signing secret with overlap: both sign until the old one expires', async () => {
    const { id, secret: old } = await createDestination('rotate');
    const r = await ok(`mutation($id: ID!) { rotateDestinationSecret(id: $id, overlapSec: 3600) { signingSecret destination { secrets { fingerprint expiresAt } } } }`, { id });
    const fresh = r.rotateDestinationSecret.signingSecret as string;
    expect(fresh).not.toBe(old);
    sink.configure('rotate', { standardWebhooksSecrets: [fresh], hmacHeader: 'X-SportsStack-Signature', hmacSecrets: [old] });
    await ok(`mutation($id: ID!) { sendTestWebhook(destinationId: $id) { ok } }`, { id });
    const [d] = sink.deliveries('rotate');
    expect(String(d!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(d!.verification).toEqual({ hmac: true, standardWebhooks: true });
    const secrets = (await ok(`query($id: ID!) { destination(id: $id) { secrets { expiresAt } } }`, { id })).destination.secrets;
    expect(secrets).toHaveLength(2);
    expect(secrets[0].expiresAt).not.toBeNull();
  });

  it('takes business events through ingress with an inbound key, validated, to subscribed destinations', async () => {
    await createDestination('ingress', { eventTypes: ['contract.signed'], batchMaxWaitMs: 100 });
    const { inboundKey } = await setupScenario1(stack.graphqlUrl, t.token, (await ok(`{ viewer { tenant { projects { edges { node { id } } } } } }`)).viewer.tenant.projects.edges[0].node.id, stack.accounts);
    const post = (type: string, body: unknown, key = inboundKey) => fetch(`${stack.gatewayUrl}/hooks/${key}/events/${type}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const accepted = await post('contract.signed', { contract_id: 'via-ingress', amount: { value: 3 } });
    expect(accepted.status).toBe(202);
    const { eventId } = (await accepted.json()) as { eventId: string };
    const [d] = await eventually(() => sink.deliveries('ingress').length > 0 && sink.deliveries('ingress'));
    expect((d!.json as any).events[0]).toMatchObject({ event_id: eventId, resource_type: 'contract.signed', data: { contract_id: 'via-ingress' } });
    const invalid = await post('contract.signed', { contract_id: 'x', amount: { value: -1 } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_event', pointer: '/amount/value' } });
    expect((await post('league.onboarded', {})).status).toBe(404);
    expect((await post('contract.signed', {}, 'dhk_not_a_key')).status).toBe(401);
  });

  it("an engagement webhook from a marketing platform (ActiveCampaign's form-encoded open) reaches a destination", async () => {
    await ok(`mutation($input: DeclareEventTypeInput!) { declareEventType(input: $input) { id } }`, { input: {
      name: 'email.opened',
      schema: { type: 'object', required: ['type', 'contact[email]'], properties: { type: { const: 'open' }, 'contact[email]': { type: 'string', pattern: '^[^@]+@[^@]+$' } } },
    } });
    await createDestination('engagement', { eventTypes: ['email.opened'], batchMaxWaitMs: 100 });
    const projectId = (await ok(`{ viewer { tenant { projects { edges { node { id } } } } } }`)).viewer.tenant.projects.edges[0].node.id;
    const { inboundKey } = await setupScenario1(stack.graphqlUrl, t.token, projectId, stack.accounts);
    // What ActiveCampaign posts to a webhook URL: form fields, no signature.
    const form = (fields: Record<string, string>) => fetch(`${stack.gatewayUrl}/hooks/${inboundKey}/events/email.opened`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
    });
    const res = await form({ type: 'open', date_time: '2025-01-15T10:30:00-05:00', 'contact[id]': '7', 'contact[email]': 'fan@example.com', 'campaign[id]': '3' });
    expect(res.status).toBe(202);
    const [d] = await eventually(() => sink.deliveries('engagement').length > 0 && sink.deliveries('engagement'));
    expect(d!.json).toMatchObject({ stream: 'business_event', resource_type: 'email.opened', batch_size: 1 });
    expect((d!.json as any).events[0].data).toEqual({ type: 'open', date_time: '2025-01-15T10:30:00-05:00', 'contact[id]': '7', 'contact[email]': 'fan@example.com', 'campaign[id]': '3' });
    expect(d!.verification).toEqual({ hmac: true, standardWebhooks: true });
    const bad = await form({ type: 'open', 'contact[email]': 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_event', pointer: '/contact[email]' } });
  });

  it('refuses private and non-https URLs and reserved headers', async () => {
    const bad = await run(`mutation { createDestination(input: { name: "x", url: "https://10.0.0.7/hook" }) { destination { id } } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    const reserved = await run(`mutation { createDestination(input: { name: "x", url: "${sink.hookUrl('x')}", headers: [{ name: "webhook-signature", value: "v1,x" }] }) { destination { id } } }`);
    expect(reserved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.headers.0.name' });
  });

  it('a destination that keeps failing is disabled and its owner notified in the audit log', async () => {
    const { id } = await createDestination('broken', { eventTypes: ['payment.received'] });
    sink.faults.add({ pathPattern: '^/hooks/broken$', status: 500 });
    await publish('payment.received', { contract_id: 'b1', amount: { value: 1 } });
    const off = await eventually(async () => {
      const v = await ok(`query($id: ID!) { destination(id: $id) { enabled disabledReason } }`, { id });
      return !v.destination.enabled && v.destination;
    }, 20_000);
    expect(off.disabledReason).toMatch(/Disabled automatically/);
    const audit = await ok(`query($id: ID!) { auditLog(targetId: $id, first: 5) { edges { node { operation actor } } } }`, { id });
    expect(audit.auditLog.edges.map((e: any) => e.node)).toContainEqual({ operation: 'destination.disabled', actor: 'system' });
    const log = await ok(`query($id: ID!) { destination(id: $id) { deliveries(first: 1) { edges { node { outcome lastStatus } } } } }`, { id });
    expect(log.destination.deliveries.edges[0].node).toMatchObject({ outcome: 'DEAD_LETTERED', lastStatus: 500 });
    // Switched back on by a person, it delivers again.
    sink.faults.clear();
    await ok(`mutation($id: ID!) { enableDestination(id: $id) { enabled } }`, { id });
    await new Promise((r) => setTimeout(r, 300));
    await publish('payment.received', { contract_id: 'b2', amount: { value: 2 } });
    await eventually(() => sink.deliveries('broken').some((d) => (d.json as any).events[0].data.contract_id === 'b2'));
  });
});
