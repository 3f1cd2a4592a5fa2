import { loadDataPlaneEnv, startWorker, type Running } from '@datahub/data-plane';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, PROFILE_INTERESTS_MAPPING, setupScenario1, setupScenario3 } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** One record is never created twice, only changes are sent, and an older push never overwrites a newer one. */
describe('delivery engine: ordering and change detection', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;
  let second: Running;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400, 800] });
    second = await startWorker(loadDataPlaneEnv(stack.env));
    ({ token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Changes'));
  });
  afterAll(async () => {
    await second?.close();
    await stack?.stop();
  });

  const byEmail = (email: string) => stack.copernica.profiles(COPERNICA_DB.id).filter((p) => p.fields.email === email);
  const outcomes = async (syncId: string) => {
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries(first: 100) { edges { node { eventId attempt outcome error } } } } }`, { id: syncId });
    return d.sync.deliveries.edges.map((e: any) => e.node) as { eventId: string; attempt: number; outcome: string; error: string | null }[];
  };

  it.each([
    ['scenario 3 (lookup, then create or update)', setupScenario3],
    ['scenario 1 (one-call upsert)', setupScenario1],
  ])('creates a new profile exactly once for 50 concurrent notifies on two workers: %s', async (_name, setup) => {
    const sync = await setup(stack.graphqlUrl, token, projectId, stack.accounts);
    const email = `rush-${sync.syncId.slice(-6)}@example.com`;
    stack.blueconic.upsertProfile({ id: `bc-rush-${sync.syncId}`, properties: { email: [email], interests: ['sprint'] } });
    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${sync.inboundUrl}?id=bc-rush-${sync.syncId}`)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
    const eventIds = await Promise.all(responses.map(async (r) => ((await r.json()) as { eventId: string }).eventId));

    // Every event accounted for: delivered once, the rest found nothing new to send.
    const rows = await eventually(async () => {
      const all = (await outcomes(sync.syncId)).filter((o) => eventIds.includes(o.eventId));
      return new Set(all.map((o) => o.eventId)).size === 50 && all;
    }, 30_000);
    expect(byEmail(email)).toHaveLength(1);
    expect(rows.filter((o) => o.outcome === 'DELIVERED')).toHaveLength(1);
    expect(rows.filter((o) => o.outcome === 'UNCHANGED')).toHaveLength(49);
  });

  it('sends a payload only when it changed, and again after a new sync version', async () => {
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    const puts = () => stack.copernica.requests.filter((r) => r.method === 'PUT' && r.query['fields[]'] === 'email==same@example.com').length;
    const notify = async () => ((await (await fetch(`${sync.inboundUrl}?id=bc-same`)).json()) as { eventId: string }).eventId;
    const settled = (id: string) => eventually(async () => (await outcomes(sync.syncId)).find((o) => o.eventId === id));

    stack.blueconic.upsertProfile({ id: 'bc-same', properties: { email: ['same@example.com'], interests: ['golf'] } });
    expect((await settled(await notify())).outcome).toBe('DELIVERED');
    const second = await settled(await notify());
    expect(second).toMatchObject({ outcome: 'UNCHANGED', error: expect.stringContaining('equals the one last delivered') });
    expect(puts()).toBe(1);

    stack.blueconic.upsertProfile({ id: 'bc-same', properties: { email: ['same@example.com'], interests: ['golf', 'chess'] } });
    expect((await settled(await notify())).outcome).toBe('DELIVERED');
    expect(puts()).toBe(2);

    // A new version (even with the same mapping) resets change detection.
    const v1 = (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { versions { source { credentialId baseUrl } target { connector operation credentialId baseUrl params } } } }`, { id: sync.syncId })).sync.versions[0];
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, {
      id: sync.syncId, d: {
        trigger: { kind: 'NOTIFY', idParam: 'id' }, mapping: PROFILE_INTERESTS_MAPPING,
        source: { connector: 'blueconic', operation: 'getProfile', ...v1.source }, target: v1.target,
      },
    });
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 2) { activeVersion } }`, { id: sync.syncId });
    await eventually(async () => (await settled(await notify())).outcome === 'DELIVERED', 10_000, 300);
    expect(puts()).toBe(3);
  });

  it('never lets an older pushed record overwrite a newer one that was delivered first', async () => {
    const created = await gqlOk(stack.graphqlUrl, token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id versions { target { credential { id } } } } }`, {
      input: {
        projectId, name: 'pushed profiles', trigger: { kind: 'PUSH', idParam: 'id' },
        mapping: '{"fields": {"email": record.email, "firstname": record.name}}',
        target: { connector: 'copernica', operation: 'upsertProfile', credentialId: await copernicaKey(), baseUrl: stack.copernica.url, params: { databaseId: '1', matchField: 'email' } },
      },
    });
    const syncId = created.createSync.id;
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: syncId });
    const key = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id, name: "push" }) { url } }`, { id: syncId })).createInboundKey.url;
    const push = async (name: string) => ((await (await fetch(key, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'p-1', email: 'pushed@example.com', name }) })).json()) as { eventId: string }).eventId;

    // The older record's first attempt fails; the newer one arrives and is delivered meanwhile.
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 1 });
    const older = await push('Old');
    await eventually(async () => (await outcomes(syncId)).find((o) => o.eventId === older && o.outcome === 'RETRYING'));
    const newer = await push('New');
    await eventually(async () => (await outcomes(syncId)).find((o) => o.eventId === newer && o.outcome === 'DELIVERED'));
    const retried = await eventually(async () => (await outcomes(syncId)).find((o) => o.eventId === older && o.attempt === 2));
    expect(retried.outcome).toBe('SUPERSEDED');
    expect(byEmail('pushed@example.com')[0]!.fields.firstname).toBe('New');
  });

  async function copernicaKey(): Promise<string> {
    const d = await gqlOk(stack.graphqlUrl, token, `mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id } }`, {
      input: { name: 'Copernica token', apiKey: { key: stack.accounts.copernicaToken } },
    });
    return d.createCredential.id;
  }
});
