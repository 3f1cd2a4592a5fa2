import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** Replaying dead letters: once the cause is fixed, the stored event goes through the pipeline again, once. */
describe('replaying dead letters', () => {
  let stack: TestStack;
  let token: string;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack();
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Replay Club');
    token = tenant.token;
    sync = await setupScenario1(stack.graphqlUrl, token, tenant.projectId, stack.accounts);
  });
  afterAll(() => stack?.stop());

  const byEmail = (email: string) => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === email);
  const deadLetters = async () => (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) {
    deadLetters(first: 50) { edges { node { id eventId lastStatus replayedAt replayedVersion } } } } }`, { id: sync.syncId })).sync.deadLetters.edges.map((e: any) => e.node) as any[];
  const attemptsOf = async (eventId: string) => (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) {
    deliveries(first: 100) { edges { node { eventId attempt outcome targetStatus } } } } }`, { id: sync.syncId })).sync.deliveries.edges.map((e: any) => e.node).filter((d: any) => d.eventId === eventId);
  const replay = (vars: Record<string, unknown>, t = token) => gql(stack.graphqlUrl, t,
    `mutation($syncId: ID!, $ids: [ID!], $version: Int) { replayDeadLetters(syncId: $syncId, ids: $ids, version: $version) { id eventId replayed error } }`,
    { syncId: sync.syncId, ...vars });

  it('delivers a dead letter the target refused with 422 once the fault is gone, under the same event id, and only once', async () => {
    stack.blueconic.upsertProfile({ id: 'r-ann', properties: { email: ['replay-ann@example.com'], interests: ['golf'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 422, times: 1 });
    const { eventId } = (await (await fetch(`${sync.inboundUrl}?id=r-ann`)).json()) as { eventId: string };
    const dead = await eventually(async () => (await deadLetters()).find((d) => d.eventId === eventId));
    expect(dead).toMatchObject({ lastStatus: 422, replayedAt: null });
    expect(byEmail('replay-ann@example.com')).toBeUndefined();

    const first = await replay({});
    expect(first.errors).toBeUndefined();
    expect(first.data!.replayDeadLetters).toEqual([{ id: dead.id, eventId, replayed: true, error: null }]);
    await eventually(() => byEmail('replay-ann@example.com'));
    await eventually(async () => (await attemptsOf(eventId)).some((a: any) => a.outcome === 'DELIVERED' && a.attempt === 1));
    const marked = (await deadLetters()).find((d) => d.eventId === eventId);
    expect(marked.replayedAt).toEqual(expect.any(String));
    expect(marked.replayedVersion).toBe(1);

    // Again, by id: nothing is sent and the answer says why. Without ids there is nothing left to replay.
    const calls = stack.copernica.requests.length;
    const again = await replay({ ids: [dead.id] });
    expect(again.data!.replayDeadLetters).toEqual([{ id: dead.id, eventId, replayed: false, error: expect.stringMatching(/already replayed/i) }]);
    expect((await replay({})).data!.replayDeadLetters).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.copernica.requests.length).toBe(calls);

    const audit = await gqlOk(stack.graphqlUrl, token, `{ auditLog(operation: "replayDeadLetters", first: 5) { edges { node { outcome targetType targetId after } } } }`);
    expect(audit.auditLog.edges.at(-1).node).toMatchObject({ outcome: 'ok', targetType: 'Sync', targetId: sync.syncId, after: [{ eventId, replayed: true }] });
  });

  it('refuses a version that is not active (BAD_USER_INPUT) and another tenant (NOT_FOUND); a replay the target refuses again is a dead letter again', async () => {
    stack.blueconic.upsertProfile({ id: 'r-bob', properties: { email: ['replay-bob@example.com'], interests: ['chess'] } });
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 422, times: 1 });
    const { eventId } = (await (await fetch(`${sync.inboundUrl}?id=r-bob`)).json()) as { eventId: string };
    const dead = await eventually(async () => (await deadLetters()).find((d) => d.eventId === eventId));

    // Version 2 exists (a draft) but is not active; version 7 does not exist.
    const v1 = (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { versions { mapping source { credentialId baseUrl } target { connector operation credentialId baseUrl params } } } }`, { id: sync.syncId })).sync.versions[0];
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, { id: sync.syncId, d: {
      trigger: { kind: 'NOTIFY', idParam: 'id' }, mapping: v1.mapping,
      source: { connector: 'blueconic', operation: 'getProfile', credentialId: v1.source.credentialId, baseUrl: v1.source.baseUrl },
      target: { connector: v1.target.connector, operation: v1.target.operation, credentialId: v1.target.credentialId, baseUrl: v1.target.baseUrl, params: v1.target.params },
    } });
    for (const version of [2, 7]) {
      const res = await replay({ ids: [dead.id], version });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
    }
    const other = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Other Replay Club');
    expect((await replay({ ids: [dead.id] }, other.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await deadLetters()).find((d) => d.eventId === eventId).replayedAt).toBeNull();

    // A replay the target refuses again is a dead letter again, and can be replayed once more.
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 422, times: 1 });
    expect((await replay({ ids: [dead.id], version: 1 })).data!.replayDeadLetters[0]).toMatchObject({ replayed: true });
    await eventually(async () => (await attemptsOf(eventId)).some((a: any) => a.outcome === 'DEAD_LETTERED' && a.targetStatus === 422)
      && (await deadLetters()).find((d) => d.eventId === eventId).replayedAt === null);
    expect((await replay({ ids: [dead.id] })).data!.replayDeadLetters[0]).toMatchObject({ replayed: true });
    await eventually(() => byEmail('replay-bob@example.com'));
  });
});
