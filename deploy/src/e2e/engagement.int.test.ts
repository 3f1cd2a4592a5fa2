import { startSink, type SinkHandle } from '@datahub/emulators';
import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/**
 * Syncs whose target is a webhook destination: the worker maps the record and hands it to the
 * destination pipeline (hub.destinations), which batches, signs and delivers it to the
 * webhook-sink emulator. Covers a BlueConic notify sync and an engagement webhook pushed by a
 * marketing platform (ActiveCampaign's form-encoded open) through /hooks/{key}.
 */
describe('syncs delivering to webhook destinations', () => {
  let stack: TestStack;
  let sink: SinkHandle;
  let t: { tenantId: string; projectId: string; token: string };
  const ok = (q: string, v: Record<string, unknown> = {}) => gqlOk(stack.graphqlUrl, t.token, q, v);
  const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;

  async function createDestination(channel: string) {
    const d = await ok(`mutation($input: CreateDestinationInput!) { createDestination(input: $input) { signingSecret destination { id } } }`, {
      input: { name: channel, url: sink.hookUrl(channel), batchMaxEvents: 50, batchMaxWaitMs: 300 },
    });
    sink.configure(channel, { hmacHeader: 'X-SportsStack-Signature', hmacSecrets: [d.createDestination.signingSecret], standardWebhooksSecrets: [d.createDestination.signingSecret] });
    return d.createDestination.destination.id as string;
  }

  async function activeSync(input: Record<string, unknown>) {
    const created = await ok(`mutation($input: CreateSyncInput!) { createSync(input: $input) { id versions { target { connector } destination { destinationId resourceType stream } } } }`, { input });
    const syncId = created.createSync.id as string;
    await ok(`mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: syncId });
    const key = await ok(`mutation($id: ID!) { createInboundKey(input: { syncId: $id, name: "webhook" }) { key url } }`, { id: syncId });
    return { syncId, url: key.createInboundKey.url as string, version: created.createSync.versions[0] };
  }

  const deliveries = async (syncId: string) => (await ok(`query($id: ID!) { sync(id: $id) { deliveries(first: 50) { edges { node { outcome target } } } } }`, { id: syncId }))
    .sync.deliveries.edges.map((e: any) => e.node) as { outcome: string; target: string | null }[];

  beforeAll(async () => {
    sink = await startSink();
    stack = await startTestStack();
    t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Sync to destinations');
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
  });

  it('a BlueConic profile change reaches the destination as a signed change-log batch; an unchanged profile is not re-sent', async () => {
    const destinationId = await createDestination('profiles');
    const credentialId = (await ok(`mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id } }`, {
      input: { name: 'BlueConic', oauth2ClientCredentials: stack.accounts.blueconicClient },
    })).createCredential.id;
    const sync = await activeSync({
      projectId: t.projectId, name: 'BlueConic profiles → partner webhook',
      trigger: { kind: 'NOTIFY', idParam: 'id' },
      source: { connector: 'blueconic', operation: 'getProfile', credentialId, baseUrl: stack.accounts.blueconicUrl },
      mapping: `{ "email": record.properties[id = "email"].values[0], "interests": [record.properties[id = "interests"].values] }`,
      destination: { destinationId, resourceType: 'profile' },
    });
    expect(sync.version.destination).toEqual({ destinationId, resourceType: 'profile', stream: 'change_log' });
    expect(sync.version.target.connector).toBe('destination');

    stack.blueconic.upsertProfile({ id: 'bc-ann', properties: { email: ['ann@example.com'], interests: ['football', 'golf'] } });
    expect((await fetch(`${sync.url}?id=bc-ann`)).status).toBe(202);
    const [d] = await eventually(() => sink.deliveries('profiles').length > 0 && sink.deliveries('profiles'), 20_000);
    const body = d!.json as Record<string, any>;
    expect(Object.keys(body)).toEqual(['stream', 'resource_type', 'tenant_id', 'events', 'batch_size']);
    expect(body).toMatchObject({ stream: 'change_log', resource_type: 'profile', tenant_id: rawId(t.tenantId), batch_size: 1 });
    expect(body.events[0]).toMatchObject({
      resource_type: 'profile', common_model_id: 'bc-ann', hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      data: { email: 'ann@example.com', interests: ['football', 'golf'] },
    });
    expect(d!.verification).toEqual({ hmac: true, standardWebhooks: true });
    await eventually(async () => (await deliveries(sync.syncId)).some((x) => x.outcome === 'DELIVERED'));
    expect((await deliveries(sync.syncId)).find((x) => x.outcome === 'DELIVERED')!.target).toBe(`destination:${rawId(destinationId)}`);

    // Notified again without a change: skipped by change detection, nothing new at the sink.
    expect((await fetch(`${sync.url}?id=bc-ann`)).status).toBe(202);
    await eventually(async () => (await deliveries(sync.syncId)).some((x) => x.outcome === 'UNCHANGED'));
    await new Promise((r) => setTimeout(r, 800));
    expect(sink.deliveries('profiles')).toHaveLength(1);

    // A real change goes out again.
    stack.blueconic.upsertProfile({ id: 'bc-ann', properties: { email: ['ann@example.com'], interests: ['tennis'] } });
    expect((await fetch(`${sync.url}?id=bc-ann`)).status).toBe(202);
    const second = await eventually(() => sink.deliveries('profiles').length > 1 && sink.deliveries('profiles')[1], 20_000);
    expect((second!.json as any).events[0].data).toEqual({ email: 'ann@example.com', interests: ['tennis'] });
  });

  it("an engagement webhook (ActiveCampaign's form-encoded open) pushed to a sync reaches its destination mapped and signed", async () => {
    const destinationId = await createDestination('engagement');
    const sync = await activeSync({
      projectId: t.projectId, name: 'ActiveCampaign engagement → partner webhook',
      trigger: { kind: 'PUSH', idParam: 'id' },
      mapping: `{ "email": record.\`contact[email]\`, "event": record.type, "campaign_id": record.\`campaign[id]\`, "at": record.date_time }`,
      destination: { destinationId, resourceType: 'email_engagement', stream: 'engagement' },
    });
    const res = await fetch(sync.url, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ type: 'open', date_time: '2025-01-15T10:30:00-05:00', 'contact[id]': '7', 'contact[email]': 'fan@example.com', 'campaign[id]': '3' }).toString(),
    });
    expect(res.status).toBe(202);
    // A JSON engagement event goes the same way.
    const json = await fetch(sync.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'click', 'contact[email]': 'fan@example.com', 'campaign[id]': '3' }) });
    expect(json.status).toBe(202);
    const events = await eventually(() => {
      const all = sink.deliveries('engagement').flatMap((d) => (d.json as any).events);
      return all.length >= 2 && all;
    }, 20_000);
    expect(events.map((e: any) => e.data).sort((a: any, b: any) => a.event.localeCompare(b.event))).toEqual([
      { email: 'fan@example.com', event: 'click', campaign_id: '3' },
      { email: 'fan@example.com', event: 'open', campaign_id: '3', at: '2025-01-15T10:30:00-05:00' },
    ]);
    for (const d of sink.deliveries('engagement')) {
      expect(d.json).toMatchObject({ stream: 'engagement', resource_type: 'email_engagement' });
      expect(d.verification).toEqual({ hmac: true, standardWebhooks: true });
    }
  });

  it('refuses a destination of another tenant and both target and destination', async () => {
    const other = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Other tenant');
    const foreign = (await gqlOk(stack.graphqlUrl, other.token, `mutation($input: CreateDestinationInput!) { createDestination(input: $input) { destination { id } } }`, {
      input: { name: 'theirs', url: sink.hookUrl('theirs') },
    })).createDestination.destination.id;
    const create = (extra: Record<string, unknown>) => gql(stack.graphqlUrl, t.token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id } }`, {
      input: { projectId: t.projectId, name: 'x', trigger: { kind: 'PUSH' }, mapping: 'record', ...extra },
    });
    const r = await create({ destination: { destinationId: foreign, resourceType: 'profile' } });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const mine = await createDestination('mine');
    const both = await create({ destination: { destinationId: mine, resourceType: 'profile' }, target: { connector: 'copernica', operation: 'upsertProfile', credentialId: foreign, baseUrl: stack.accounts.copernicaUrl } });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.destination' });
    const badType = await create({ destination: { destinationId: mine, resourceType: 'Not A Type' } });
    expect(badType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.destination.resourceType' });
  });
});
