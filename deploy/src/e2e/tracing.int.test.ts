import { startTracing } from '@datahub/data-plane';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

interface ReceivedSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: Record<string, unknown> }

/** A local OTLP/HTTP (JSON) trace receiver: what Jaeger's :4318 would get. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
        const attributes: Record<string, unknown> = {};
        for (const a of s.attributes ?? []) attributes[a.key] = Object.values(a.value ?? {})[0];
        spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, attributes });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, close: () => new Promise((r) => server.close(() => r())) };
}

describe('OpenTelemetry: one trace per webhook', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let sdk: ReturnType<typeof startTracing>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    sdk = startTracing('datahub-test', { url: receiver.url });
    stack = await startTestStack({ retryScheduleMs: [200, 400] });
  });
  afterAll(async () => {
    await stack?.stop();
    await sdk?.shutdown();
    await receiver?.close();
  });

  it('links ingress → publish → consume → fetch → transform → deliver, retries included, in one exported trace', async () => {
    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Traced');
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    stack.blueconic.upsertProfile({ id: 'bc-trace', properties: { email: ['trace@example.com'], interests: ['tennis'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 1 });

    const res = await fetch(`${sync.inboundUrl}?id=bc-trace`);
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    await eventually(() => stack.copernica.profiles(1).find((p) => p.fields.email === 'trace@example.com'));
    await eventually(async () => {
      return receiver.spans.filter((s) => s.attributes['hub.event_id'] === eventId && s.name === 'hub.work process').length === 2;
    }, 10_000, 200);

    const ingress = receiver.spans.find((s) => s.name === 'ingress receive' && s.attributes['hub.event_id'] === eventId)!;
    expect(ingress).toBeDefined();
    const trace = receiver.spans.filter((s) => s.traceId === ingress.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const parentName = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId)?.name : undefined);

    const publish = trace.find((s) => s.name === 'hub.events publish')!;
    expect(parentName(publish)).toBe('ingress receive');
    const consumes = trace.filter((s) => s.name === 'hub.work process').sort((a, b) => Number(a.attributes['hub.attempt']) - Number(b.attributes['hub.attempt']));
    expect(consumes.map((s) => s.attributes['hub.attempt'])).toEqual([1, 2]);
    for (const c of consumes) expect(parentName(c)).toBe('hub.events publish');
    for (const name of ['fetch', 'transform', 'deliver']) {
      const steps = trace.filter((s) => s.name === name);
      expect(steps.length).toBeGreaterThanOrEqual(2); // one per attempt
      for (const s of steps) expect(parentName(s)).toBe('hub.work process');
    }
    expect(consumes[0]!.attributes).toMatchObject({ 'hub.sync_id': expect.any(String), 'hub.tenant_id': expect.any(String), 'hub.outcome': 'retryable' });
    const delivers = trace.filter((s) => s.name === 'deliver').map((s) => s.attributes['http.response.status_code']);
    expect(delivers).toEqual(expect.arrayContaining([503, 201]));
    expect(trace.find((s) => s.name === 'deliver')!.attributes['server.address']).toBe(new URL(stack.copernica.url).host);

    // The delivery log in GraphQL names the same trace, so an SRE can jump to Jaeger.
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries { edges { node { eventId traceId } } } } }`, { id: sync.syncId });
    const traceIds = d.sync.deliveries.edges.filter((e: any) => e.node.eventId === eventId).map((e: any) => e.node.traceId);
    expect(new Set(traceIds)).toEqual(new Set([ingress.traceId]));
    // No secret travels in span attributes.
    expect(JSON.stringify(trace)).not.toMatch(/copernica-access-token|hub-client-secret|dhk_/);
  });
});
