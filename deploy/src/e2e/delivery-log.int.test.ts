import { Database, LogRetention } from '@datahub/data-plane';
import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, PROFILE_INTERESTS_MAPPING, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

const ENTRY = `eventId syncId entityKey trigger method receivedAt state final attempt replay syncVersion recordExcerpt payloadExcerpt traceId
  attempts { replay attempt outcome targetStatus responseExcerpt nextRetryAt syncVersion }`;
const PUT = { method: 'PUT', pathPattern: '^/v3/database/' };

/** The per-event delivery log (excerpts, attempts, search, paging, retention) and replays shown as their own series. */
describe('delivery log and replay', () => {
  let stack: TestStack;
  let token: string;
  let sync: SyncSetup;
  let second: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400, 800] });
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Log Club');
    token = tenant.token;
    sync = await setupScenario1(stack.graphqlUrl, token, tenant.projectId, stack.accounts);
    second = await setupScenario1(stack.graphqlUrl, token, tenant.projectId, stack.accounts);
  }, 60_000);
  afterAll(() => stack?.stop());

  const profile = (id: string, extra: Record<string, string[]> = {}) =>
    stack.blueconic.upsertProfile({ id, properties: { email: [`${id}@example.com`], interests: ['log'], ...extra } });
  const notify = async (s: SyncSetup, id: string) => ((await (await fetch(`${s.inboundUrl}?id=${id}`)).json()) as { eventId: string }).eventId;
  const log = async (args: Record<string, unknown> = {}) => (await gqlOk(stack.graphqlUrl, token,
    `query($syncId: ID, $entityKey: String, $state: DeliveryOutcome, $from: DateTimeISO, $to: DateTimeISO, $first: Int, $after: String) {
      deliveryLog(syncId: $syncId, entityKey: $entityKey, state: $state, from: $from, to: $to, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ENTRY} } } } }`, { first: 100, ...args })).deliveryLog;
  const entry = async (eventId: string) => (await log()).edges.map((e: any) => e.node).find((n: any) => n.eventId === eventId);
  const settled = (eventId: string, state: string) => eventually(async () => {
    const n = await entry(eventId);
    return n?.final && n.state === state ? n : undefined;
  });
  const replay = (vars: Record<string, unknown>) => gql(stack.graphqlUrl, token,
    `mutation($syncId: ID, $ids: [ID!], $version: Int, $filter: DeadLetterFilter) { replayDeadLetters(syncId: $syncId, ids: $ids, version: $version, filter: $filter) { id eventId replayed replay error } }`, vars);
  const deadLetterOf = async (s: SyncSetup, eventId: string) => (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deadLetters(first: 100) { edges { node { id eventId replayedAt } } } } }`, { id: s.syncId }))
    .sync.deadLetters.edges.map((e: any) => e.node).find((d: any) => d.eventId === eventId);
  const putsFor = (email: string) => stack.copernica.requests.filter((r: any) => r.method === 'PUT' && JSON.stringify([r.query, r.body ?? null]).includes(email)).length;

  it('shows each event with its trigger, redacted excerpts and every attempt, retries with response and next retry time', async () => {
    const settings = await gqlOk(stack.graphqlUrl, token, `mutation { setTenantLogSettings(retentionDays: 7, sensitiveFields: ["firstname"]) { logRetentionDays sensitiveFields } }`);
    expect(settings.setTenantLogSettings).toEqual({ logRetentionDays: 7, sensitiveFields: ['firstname'] });
    profile('l-ann', { firstname: ['Annabel'] });
    stack.copernica.faults.add({ ...PUT, status: 503, times: 1, body: { error: 'maintenance', access_token: 'leaked-token' } });
    const eventId = await notify(sync, 'l-ann');
    const e = await settled(eventId, 'DELIVERED');
    expect(e).toMatchObject({ syncId: sync.syncId, entityKey: 'l-ann', trigger: 'NOTIFY', method: 'GET', attempt: 2, replay: 0, syncVersion: 1, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(e.recordExcerpt).toContain('l-ann@example.com');
    expect(e.recordExcerpt).not.toContain('Annabel');
    expect(JSON.parse(e.payloadExcerpt)).toMatchObject({ fields: { email: 'l-ann@example.com', firstname: '[redacted]' } });
    expect(e.attempts).toEqual([
      { replay: 0, attempt: 1, outcome: 'RETRYING', targetStatus: 503, responseExcerpt: expect.stringContaining('maintenance'), nextRetryAt: expect.any(String), syncVersion: 1 },
      { replay: 0, attempt: 2, outcome: 'DELIVERED', targetStatus: expect.any(Number), responseExcerpt: null, nextRetryAt: null, syncVersion: 1 },
    ]);
    expect(e.attempts[0].responseExcerpt).not.toContain('leaked-token');
  });

  it('searches tenant-wide and per sync by entity key, state and time, and pages with cursors that stay valid while events arrive', async () => {
    const started = new Date().toISOString();
    const ids: string[] = [];
    for (const id of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) {
      profile(id);
      ids.push(await notify(sync, id));
      await settled(ids.at(-1)!, 'DELIVERED');
    }
    profile('s-1');
    const other = await notify(second, 's-1');
    await settled(other, 'DELIVERED');

    expect((await log({ entityKey: 'p-3' })).edges.map((x: any) => x.node.eventId)).toEqual([ids[2]]);
    expect((await log({ entityKey: 's-1', syncId: sync.syncId })).edges).toEqual([]);
    const perSync = await gqlOk(stack.graphqlUrl, token, `query($id: ID!, $from: DateTimeISO) { sync(id: $id) { deliveryLog(from: $from, first: 100) { totalCount edges { node { eventId } } } } }`, { id: sync.syncId, from: started });
    expect(perSync.sync.deliveryLog.edges.map((x: any) => x.node.eventId)).toEqual([...ids].reverse());
    expect(perSync.sync.deliveryLog.totalCount).toBe(5);
    expect((await log({ from: started })).edges.map((x: any) => x.node.eventId)).toEqual([other, ...[...ids].reverse()]);
    expect((await log({ to: started, entityKey: 'p-1' })).edges).toEqual([]);
    expect((await log({ state: 'DEAD_LETTERED', from: started })).edges).toEqual([]);

    // Two at a time, newest first; an event arriving mid-way shows up on top, not in the later pages.
    const seen: string[] = [];
    let page = await log({ syncId: sync.syncId, from: started, first: 2 });
    seen.push(...page.edges.map((x: any) => x.node.eventId));
    profile('p-6');
    await settled(await notify(sync, 'p-6'), 'DELIVERED');
    while (page.pageInfo.hasNextPage) {
      page = await log({ syncId: sync.syncId, from: started, first: 2, after: page.pageInfo.endCursor });
      seen.push(...page.edges.map((x: any) => x.node.eventId));
    }
    expect(seen).toEqual([...ids].reverse());
    expect((await gql(stack.graphqlUrl, token, `{ deliveryLog(after: "nonsense") { totalCount } }`)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const stranger = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Log Stranger');
    expect((await gqlOk(stack.graphqlUrl, stranger.token, `{ deliveryLog(first: 100) { totalCount } }`)).deliveryLog.totalCount).toBe(0);
    expect((await gql(stack.graphqlUrl, stranger.token, `query($s: ID) { deliveryLog(syncId: $s) { totalCount } }`, { s: sync.syncId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('shows a replay as its own attempt series beside the first, and replaying twice at once sends once', async () => {
    profile('r-1');
    stack.copernica.faults.add({ ...PUT, status: 422, times: 1 });
    const eventId = await notify(sync, 'r-1');
    await settled(eventId, 'DEAD_LETTERED');
    const dead = await deadLetterOf(sync, eventId);
    const before = putsFor('r-1@example.com');

    const [a, b] = await Promise.all([replay({ ids: [dead.id] }), replay({ ids: [dead.id] })]);
    const results = [a, b].map((r) => r.data!.replayDeadLetters[0]);
    expect(results.filter((r: any) => r.replayed)).toEqual([{ id: dead.id, eventId, replayed: true, replay: 1, error: null }]);
    expect(results.filter((r: any) => !r.replayed)[0].error).toMatch(/already replayed/i);
    const e = await settled(eventId, 'DELIVERED');
    expect(e.replay).toBe(1);
    expect(e.attempts.map((x: any) => [x.replay, x.attempt, x.outcome])).toEqual([[0, 1, 'DEAD_LETTERED'], [1, 1, 'DELIVERED']]);
    await new Promise((r) => setTimeout(r, 500));
    expect(putsFor('r-1@example.com') - before).toBe(1);
  });

  it('replays by filter tenant-wide, and with a newer version after the mapping was fixed', async () => {
    // Version 1 maps no email, so the one-call upsert has nothing to match on: a permanent failure.
    const v1 = (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { versions { source { credentialId baseUrl } target { connector operation credentialId baseUrl params } } } }`, { id: sync.syncId })).sync.versions[0];
    const definition = (mapping: string) => ({
      trigger: { kind: 'NOTIFY', idParam: 'id' }, mapping,
      source: { connector: 'blueconic', operation: 'getProfile', credentialId: v1.source.credentialId, baseUrl: v1.source.baseUrl },
      target: { connector: v1.target.connector, operation: v1.target.operation, credentialId: v1.target.credentialId, baseUrl: v1.target.baseUrl, params: v1.target.params },
    });
    const broken = await gqlOk(stack.graphqlUrl, token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id } }`, {
      input: { projectId: (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { projectId } }`, { id: sync.syncId })).sync.projectId, name: 'broken mapping', ...definition('{ "interests": ["x"] }') },
    });
    const brokenId = broken.createSync.id;
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: brokenId });
    const key = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id, name: "k" }) { url } }`, { id: brokenId });
    profile('v-1');
    const { eventId } = (await (await fetch(`${key.createInboundKey.url}?id=v-1`)).json()) as { eventId: string };
    await settled(eventId, 'DEAD_LETTERED');

    // A filter matching nothing replays nothing; then the mapping is fixed (version 2) and replayed with it.
    expect((await replay({ filter: { reasonContains: 'no such reason' } })).data!.replayDeadLetters).toEqual([]);
    // Tenant-wide by reason, with the event's own (broken) version: a dead letter again, as a second series.
    expect((await replay({ filter: { reasonContains: 'needed for', from: new Date(Date.now() - 60_000).toISOString() } })).data!.replayDeadLetters)
      .toEqual([expect.objectContaining({ eventId, replayed: true, replay: 1 })]);
    await eventually(async () => (await entry(eventId))?.replay === 1 && (await deadLetterOf({ syncId: brokenId } as SyncSetup, eventId))?.replayedAt === null);
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, { id: brokenId, d: definition(PROFILE_INTERESTS_MAPPING) });
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 2) { activeVersion } }`, { id: brokenId });
    expect((await replay({ version: 2 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'syncId' });
    const res = await replay({ syncId: brokenId, version: 2, filter: { reasonContains: 'NEEDED FOR matchValue' } });
    expect(res.data!.replayDeadLetters).toEqual([expect.objectContaining({ eventId, replayed: true, replay: 2 })]);
    const e = await settled(eventId, 'DELIVERED');
    expect(e.attempts.map((x: any) => [x.replay, x.syncVersion, x.outcome])).toEqual([[0, 1, 'DEAD_LETTERED'], [1, 1, 'DEAD_LETTERED'], [2, 2, 'DELIVERED']]);
    await eventually(() => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'v-1@example.com'));
    const audit = await gqlOk(stack.graphqlUrl, token, `{ auditLog(operation: "replayDeadLetters", first: 20) { edges { node { outcome targetType after } } } }`);
    expect(audit.auditLog.edges.map((x: any) => x.node)).toContainEqual({ outcome: 'ok', targetType: 'Sync', after: [expect.objectContaining({ eventId, replayed: true, replay: 2 })] });
    expect(audit.auditLog.edges.map((x: any) => x.node)).toContainEqual({ outcome: 'ok', targetType: 'Tenant', after: [expect.objectContaining({ eventId, replayed: true, replay: 1 })] });
  });

  it("deletes what is past each tenant's retention in small batches, one process at a time", async () => {
    const db = new Database(stack.env.HUB_DATABASE_URL!, 2);
    try {
      // Age this tenant's log past its 7 days; another tenant with the 30-day default keeps 10-day-old rows.
      const { rows: [t] } = await db.query(`SELECT tenant_id FROM delivery_events WHERE sync_id = (SELECT id FROM syncs WHERE name = 'broken mapping')`);
      const other = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Log Keeper');
      const keeperSync = await setupScenario1(stack.graphqlUrl, other.token, other.projectId, stack.accounts);
      profile('k-1');
      const kept = await notify(keeperSync, 'k-1');
      await eventually(async () => (await db.query(`SELECT 1 FROM delivery_events WHERE event_id = $1 AND state = 'delivered'`, [kept])).rows.length > 0);
      await db.query(`UPDATE delivery_events SET received_at = now() - interval '8 days' WHERE tenant_id = $1`, [t!.tenant_id]);
      await db.query(`UPDATE delivery_attempts SET created_at = now() - interval '8 days' WHERE tenant_id = $1`, [t!.tenant_id]);
      await db.query(`UPDATE delivery_events SET received_at = now() - interval '10 days' WHERE event_id = $1`, [kept]);
      const { rows: [{ n: events }] } = await db.query(`SELECT count(*)::int AS n FROM delivery_events WHERE tenant_id = $1`, [t!.tenant_id]);
      expect(events).toBeGreaterThan(5);

      // Another process holding the cleanup lock: this one deletes nothing.
      const holder = await db.pool.connect();
      await holder.query('SELECT pg_advisory_lock(7340025)');
      const job = new LogRetention(db, { everyMs: 3_600_000, batch: 2 });
      expect(await job.runOnce()).toBe(0);
      await holder.query('SELECT pg_advisory_unlock(7340025)');
      holder.release();

      const deleted = await job.runOnce();
      await job.close();
      const { rows: [left] } = await db.query(`SELECT (SELECT count(*)::int FROM delivery_events WHERE tenant_id = $1) AS events, (SELECT count(*)::int FROM delivery_attempts WHERE tenant_id = $1) AS attempts`, [t!.tenant_id]);
      expect(left).toEqual({ events: 0, attempts: 0 });
      expect(deleted).toBeGreaterThan(events);
      expect((await db.query(`SELECT 1 FROM delivery_events WHERE event_id = $1`, [kept])).rows).toHaveLength(1);
      expect((await log()).totalCount).toBe(0);
    } finally {
      await db.end();
    }
  });
});
