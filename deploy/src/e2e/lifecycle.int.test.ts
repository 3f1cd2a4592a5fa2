import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** Pausing a sync: ingress refuses its webhooks (the origin retries), queued events still go out, resume takes them again. */
describe('pausing and resuming a sync', () => {
  let stack: TestStack;
  let token: string;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [1_000] });
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Pause Club');
    token = tenant.token;
    sync = await setupScenario1(stack.graphqlUrl, token, tenant.projectId, stack.accounts);
  });
  afterAll(() => stack?.stop());

  const byEmail = (email: string) => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === email);
  const pause = (id: string, t = token) => gql(stack.graphqlUrl, t, `mutation($id: ID!) { pauseSync(id: $id) { id pausedAt } }`, { id });
  const resume = (id: string, t = token) => gql(stack.graphqlUrl, t, `mutation($id: ID!) { resumeSync(id: $id) { id pausedAt } }`, { id });

  it('answers 409 sync_paused within a second of pauseSync, delivers what was already queued, and takes webhooks again after resumeSync', async () => {
    stack.blueconic.upsertProfile({ id: 'p-queued', properties: { email: ['queued@example.com'], interests: ['golf'] } });
    stack.blueconic.upsertProfile({ id: 'p-after', properties: { email: ['after@example.com'], interests: ['chess'] } });
    // Accepted before the pause, then waiting in a retry bucket while the sync is paused.
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 1 });
    expect((await fetch(`${sync.inboundUrl}?id=p-queued`)).status).toBe(202);

    const paused = await pause(sync.syncId);
    expect(paused.errors).toBeUndefined();
    const pausedAt = paused.data!.pauseSync.pausedAt;
    expect(pausedAt).toEqual(expect.any(String));
    const start = Date.now();
    // A probe for a record BlueConic does not have: one accepted before the pause arrived is harmless.
    const refused = await eventually(async () => {
      const res = await fetch(`${sync.inboundUrl}?id=p-probe`);
      return res.status === 409 ? res : undefined;
    }, 1_000, 20);
    expect(Date.now() - start).toBeLessThan(1_000);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('sync_paused');
    expect(body.error.message).toMatch(/resumeSync/);
    expect(body.error.message).toMatch(/write scope/);

    // Pausing again changes nothing.
    expect((await pause(sync.syncId)).data!.pauseSync.pausedAt).toBe(pausedAt);
    const shown = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { pausedAt } }`, { id: sync.syncId });
    expect(shown.sync.pausedAt).toBe(pausedAt);

    expect((await fetch(`${sync.inboundUrl}?id=p-after`)).status).toBe(409);
    // The event accepted before the pause is still delivered (after its retry); the refused one is not.
    await eventually(() => byEmail('queued@example.com'));
    expect(byEmail('after@example.com')).toBeUndefined();

    const resumed = await resume(sync.syncId);
    expect(resumed.data!.resumeSync.pausedAt).toBeNull();
    expect((await resume(sync.syncId)).data!.resumeSync.pausedAt).toBeNull(); // idempotent
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=p-after`)).status === 202, 1_000, 20);
    await eventually(() => byEmail('after@example.com'));

    const audit = await gqlOk(stack.graphqlUrl, token, `{ auditLog(operation: "pauseSync", first: 5) { edges { node { outcome targetType before after } } } }`);
    const first = audit.auditLog.edges.at(-1).node;
    expect(first).toMatchObject({ outcome: 'ok', targetType: 'Sync' });
    expect(first.before.pausedAt).toBeNull();
    expect(first.after.pausedAt).toEqual(expect.any(String));
  });

  it("lets no other tenant pause or resume a sync: NOT_FOUND, and the sync keeps taking webhooks", async () => {
    const other = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Other Club');
    for (const attempt of [pause(sync.syncId, other.token), resume(sync.syncId, other.token)]) {
      const res = await attempt;
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const shown = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { pausedAt } }`, { id: sync.syncId });
    expect(shown.sync.pausedAt).toBeNull();
    expect((await fetch(`${sync.inboundUrl}?id=p-after`)).status).toBe(202);
  });
});
