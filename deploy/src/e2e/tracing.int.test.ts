import { startTracing, type Tracing } from '@datahub/connectors';
import { createHmac } from 'node:crypto';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { captureOutput, startOtlpReceiver, type ReceivedSpan } from './otlp.receiver';
import { BLUECONIC_CLIENT, COPERNICA_TOKEN, startTestStack, type TestStack } from './test.stack';

const TRACE_URL = 'https://jaeger.example.test/trace/{traceId}';

describe('OpenTelemetry: one trace per webhook, from the gateway to the delivery', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let tracing: Tracing;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    output = captureOutput();
    receiver = await startOtlpReceiver();
    tracing = startTracing('datahub-test', { url: receiver.url });
    stack = await startTestStack({ retryScheduleMs: [200, 400], env: { HUB_TRACE_URL_TEMPLATE: TRACE_URL } });
  });
  afterAll(async () => {
    await stack?.stop();
    await tracing?.shutdown();
    await receiver?.close();
    output?.stop();
  });

  const traceOf = (traceId: string) => {
    const spans = receiver.spans.filter((s) => s.traceId === traceId);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentName = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId)?.name : undefined);
    return { spans, parentName, named: (name: string) => spans.filter((s) => s.name === name) };
  };

  it('links gateway → ingress → publish → consume → fetch → transform → change detection → deliver, retries included', async () => {
    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Traced');
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    expect(sync.inboundUrl.startsWith(stack.gatewayUrl)).toBe(true); // the origin calls the gateway
    stack.blueconic.upsertProfile({ id: 'bc-trace', properties: { email: ['trace@example.com'], interests: ['tennis'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 1 });

    const res = await fetch(`${sync.inboundUrl}?id=bc-trace`);
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    await eventually(() => stack.copernica.profiles(1).find((p) => p.fields.email === 'trace@example.com'));
    await eventually(async () => {
      await tracing.forceFlush();
      return receiver.spans.filter((s) => s.attributes['hub.event_id'] === eventId && s.name === 'hub.work process').length === 2;
    }, 10_000, 200);

    const ingress = receiver.spans.find((s) => s.name === 'ingress receive' && s.attributes['hub.event_id'] === eventId)!;
    expect(ingress).toBeDefined();
    const t = traceOf(ingress.traceId);
    const [gateway] = t.named('gateway GET /hooks');
    expect(gateway).toBeDefined();
    expect(gateway!.parentSpanId).toBeUndefined(); // the root: the origin sent no traceparent
    expect(gateway!.attributes).toMatchObject({ 'http.route': '/hooks', 'http.response.status_code': 202 });
    expect(t.parentName(ingress)).toBe('gateway GET /hooks');
    expect(ingress.attributes).toMatchObject({ 'hub.tenant_id': expect.any(String), 'hub.project_id': expect.any(String), 'hub.sync_id': expect.any(String), 'hub.sync_version': 1, 'hub.outcome': 'accepted' });

    const [publish] = t.named('hub.events publish');
    expect(t.parentName(publish!)).toBe('ingress receive');
    const consumes = t.named('hub.work process').sort((a, b) => Number(a.attributes['hub.attempt']) - Number(b.attributes['hub.attempt']));
    expect(consumes.map((s) => s.attributes['hub.attempt'])).toEqual([1, 2]);
    for (const c of consumes) expect(t.parentName(c)).toBe('hub.events publish');
    expect(consumes.map((c) => c.attributes['hub.outcome'])).toEqual(['retryable', 'ok']);
    expect(consumes[0]!.attributes).toMatchObject({
      'hub.event_id': eventId, 'hub.sync_id': expect.any(String), 'hub.tenant_id': expect.any(String), 'hub.project_id': expect.any(String), 'hub.sync_version': 1,
    });
    for (const name of ['fetch', 'transform', 'change detection', 'deliver']) {
      const steps = t.named(name);
      expect(steps.length).toBe(2); // one per attempt
      for (const s of steps) expect(t.parentName(s)).toBe('hub.work process');
    }
    const delivers = t.named('deliver');
    expect(delivers.map((s) => s.attributes['http.response.status_code']).sort()).toEqual([201, 503]);
    expect(delivers.map((s) => s.attributes['hub.outcome']).sort()).toEqual(['ok', 'retryable']);
    expect(delivers[0]!.attributes['server.address']).toBe(new URL(stack.copernica.url).host);

    // The delivery log in GraphQL names the same trace and links it.
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries { edges { node { eventId traceId traceUrl } } } } }`, { id: sync.syncId });
    const rows = d.sync.deliveries.edges.map((e: any) => e.node).filter((n: any) => n.eventId === eventId);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ traceId: ingress.traceId, traceUrl: `https://jaeger.example.test/trace/${ingress.traceId}` });
  });

  it('puts the dead letter in the trace of its webhook', async () => {
    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Traced dead');
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    stack.blueconic.upsertProfile({ id: 'bc-dead', properties: { email: ['dead@example.com'], interests: ['golf'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 400, times: 1 });
    const res = await fetch(`${sync.inboundUrl}?id=bc-dead`);
    const { eventId } = (await res.json()) as { eventId: string };
    const dead = await eventually(async () => {
      const r = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deadLetters { edges { node { eventId traceId traceUrl } } } } }`, { id: sync.syncId });
      return r.sync.deadLetters.edges.map((e: any) => e.node).find((n: any) => n.eventId === eventId);
    });
    const span = await eventually(async () => {
      await tracing.forceFlush();
      return receiver.spans.find((s) => s.name === 'dead letter' && s.attributes['hub.event_id'] === eventId);
    }, 10_000, 200);
    const t = traceOf(span.traceId);
    expect(t.parentName(span)).toBe('hub.work process');
    expect(t.named('gateway GET /hooks')).toHaveLength(1);
    expect(t.named('deliver')[0]!.attributes).toMatchObject({ 'http.response.status_code': 400, 'hub.outcome': 'permanent' });
    expect(dead).toMatchObject({ traceId: span.traceId, traceUrl: `https://jaeger.example.test/trace/${span.traceId}` });
  });

  it('makes one span per GraphQL operation, a child of the gateway span, named by type and name without variables', async () => {
    const marker = `variable-value-${Date.now()}`;
    const res = await fetch(stack.graphqlUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.operatorToken}` },
      body: JSON.stringify({ query: 'mutation MakeTenant($name: String!) { createTenant(input: { name: $name }) { tenant { id } } }', variables: { name: marker }, operationName: 'MakeTenant' }),
    });
    expect(res.status).toBe(200);
    const span = await eventually(async () => {
      await tracing.forceFlush();
      return receiver.spans.find((s) => s.name === 'graphql mutation MakeTenant');
    }, 10_000, 200);
    expect(span.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'MakeTenant', 'hub.outcome': 'ok' });
    expect(traceOf(span.traceId).parentName(span)).toBe('gateway POST /graphql');
    expect(JSON.stringify(traceOf(span.traceId).spans)).not.toContain(marker);
  });

  it('canary: no credential, token, inbound key or signing secret appears in any exported span or any log line', async () => {
    const signingSecret = 'canary-origin-signing-secret-5b7f0e';
    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Canary');
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { setInboundSignature(input: { syncId: $id, scheme: HMAC_SHA256_HEX, header: "X-Origin-Signature" }) { id } }`, { id: sync.syncId });
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $s: String!) { addInboundSignatureSecret(input: { syncId: $id, secret: $s }) { secret } }`, { id: sync.syncId, s: signingSecret });
    stack.blueconic.upsertProfile({ id: 'bc-canary', properties: { email: ['canary@example.com'], interests: ['chess'] } });
    const body = JSON.stringify({ id: 'bc-canary' });
    const signature = createHmac('sha256', signingSecret).update(body).digest('hex');
    const post = () => fetch(sync.inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-origin-signature': signature }, body });
    const accepted = await eventually(async () => {
      const r = await post();
      return r.status === 202 ? ((await r.json()) as { eventId: string }) : undefined;
    }, 5_000, 100);
    // A refused webhook (wrong key) and a failing delivery log more than the happy path does.
    expect((await fetch(`${stack.gatewayUrl}/hooks/${sync.inboundKey}x`)).status).toBe(401);
    await eventually(() => stack.copernica.profiles(1).find((p) => p.fields.email === 'canary@example.com'));
    await eventually(async () => {
      await tracing.forceFlush();
      return receiver.spans.some((s) => s.name === 'deliver' && receiver.spans.some((p) => p.traceId === s.traceId && p.attributes['hub.event_id'] === accepted.eventId));
    }, 10_000, 200);

    const secrets = [BLUECONIC_CLIENT.clientSecret, COPERNICA_TOKEN, signingSecret, signature, sync.inboundKey, token, stack.operatorToken, stack.env.HUB_MASTER_KEYS.split(':')[1]!];
    const spans = JSON.stringify(receiver.spans);
    const logs = output.text();
    // The capture works: the logs hold this run's lines (the worker logs every dead letter with its event id).
    expect(logs).toContain('event dead-lettered');
    expect(receiver.spans.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect({ secret, inSpans: spans.includes(secret) }).toEqual({ secret, inSpans: false });
      expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
    }
    expect(spans).not.toMatch(/dhk_/); // no inbound key, nor a path that holds one
  });
});
