import { loadDataPlaneEnv, startIngress } from '@datahub/data-plane';
import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

const USAGE = `query($scope: UsageScopeInput!, $from: DateTimeISO!, $to: DateTimeISO!, $g: UsageGranularity) {
  usage(scope: $scope, from: $from, to: $to, granularity: $g) {
    from to
    totals { received fetched filtered unchanged delivered retried deadLettered successRate }
    series { start received fetched filtered unchanged delivered retried deadLettered }
    latency { receiptToDelivery { count p50 p95 p99 } targetCall { count p50 p95 p99 } }
    topFailingSyncs { syncId name deadLettered retried delivered successRate }
    quota { monthlyEventQuota used percentUsed enforced level }
  } }`;

/** Usage counted by the worker: a run of known counts (deliveries, filtered, unchanged, a retry, a dead letter) read back through `usage`. */
describe('usage', () => {
  let stack: TestStack;
  let token: string;
  let tenantId: string;
  let main: SyncSetup;
  let other: SyncSetup;
  const from = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400, 800], env: { HUB_USAGE_FLUSH_MS: '200', HUB_QUOTA_REFRESH_MS: '300' } });
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Usage Club');
    ({ token, tenantId } = tenant);
    main = await setupScenario1(stack.graphqlUrl, token, tenant.projectId, stack.accounts, {
      filter: `$not($contains(record.properties[id = "email"].values[0], "@filtered."))`,
    });
    const project = await gqlOk(stack.graphqlUrl, token, `mutation { createProject(input: { name: "second" }) { id } }`);
    other = await setupScenario1(stack.graphqlUrl, token, project.createProject.id, stack.accounts);
  }, 60_000);
  afterAll(() => stack?.stop());

  const notify = async (sync: SyncSetup, id: string) => {
    const res = await fetch(`${sync.inboundUrl}?id=${id}`);
    expect(res.status).toBe(202);
    return ((await res.json()) as { eventId: string }).eventId;
  };
  const stateOf = async (eventId: string) => (await gqlOk(stack.graphqlUrl, token, `{ deliveryLog(first: 100) { edges { node { eventId state final } } } }`))
    .deliveryLog.edges.map((e: any) => e.node).find((n: any) => n.eventId === eventId);
  const settled = (eventId: string, state: string) => eventually(async () => {
    const n = await stateOf(eventId);
    return n?.final && n.state === state ? n : undefined;
  });
  const usage = (scope: Record<string, unknown>, g = 'HOUR', t = token) => gql(stack.graphqlUrl, t, USAGE, { scope, from, to, g });

  it('counts every event of a known mix, per tenant, project, sync and target, hour and day, with latency and top failing syncs', async () => {
    const profile = (id: string, email: string) => stack.blueconic.upsertProfile({ id, properties: { email: [email], interests: ['usage'] } });
    profile('u-1', 'u-1@example.com');
    profile('u-2', 'u-2@example.com');
    profile('u-3', 'u-3@example.com');
    profile('u-4', 'u-4@example.com');
    profile('u-f', 'u-f@filtered.example.com');
    profile('o-1', 'o-1@example.com');

    await settled(await notify(main, 'u-1'), 'DELIVERED');
    await settled(await notify(main, 'u-1'), 'UNCHANGED');
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 1 });
    await settled(await notify(main, 'u-2'), 'DELIVERED'); // 503, retried once, then delivered
    stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 422, times: 1 });
    await settled(await notify(main, 'u-3'), 'DEAD_LETTERED');
    await settled(await notify(main, 'u-f'), 'FILTERED');
    await settled(await notify(main, 'u-4'), 'DELIVERED');
    await settled(await notify(other, 'o-1'), 'DELIVERED');

    const expected = { received: 6, fetched: 7, filtered: 1, unchanged: 1, delivered: 3, retried: 1, deadLettered: 1, successRate: 0.75 };
    const bySync = await eventually(async () => {
      const u = (await usage({ syncId: main.syncId })).data!.usage;
      return u.totals.delivered === 3 && u.totals.deadLettered === 1 ? u : undefined;
    });
    expect(bySync.totals).toEqual(expected);
    // Every hour from `from` to `to` is a point, zeros included; together they are the totals.
    expect(bySync.series).toHaveLength(4);
    expect(bySync.series.map((p: any) => Date.parse(p.start) - Date.parse(bySync.from))).toEqual([0, 1, 2, 3].map((h) => h * 3_600_000));
    const nowPoint = bySync.series.find((p: any) => p.received > 0);
    expect(nowPoint).toEqual({ start: nowPoint.start, received: 6, fetched: 7, filtered: 1, unchanged: 1, delivered: 3, retried: 1, deadLettered: 1 });
    expect(bySync.series.filter((p: any) => p !== nowPoint).every((p: any) => p.received + p.fetched + p.delivered + p.retried + p.deadLettered === 0)).toBe(true);
    // Three deliveries from receipt; five target calls (3 delivered, the 503, the 422).
    expect(bySync.latency.receiptToDelivery.count).toBe(3);
    expect(bySync.latency.targetCall.count).toBe(5);
    for (const p of [bySync.latency.receiptToDelivery, bySync.latency.targetCall]) {
      expect(p.p50).toBeGreaterThan(0);
      expect(p.p50).toBeLessThanOrEqual(p.p95);
      expect(p.p95).toBeLessThanOrEqual(p.p99);
    }
    // The retried event waited at least the 200 ms retry delay, so the slowest receipt → delivery is above it.
    expect(bySync.latency.receiptToDelivery.p99).toBeGreaterThan(200);
    expect(bySync.topFailingSyncs).toEqual([{ syncId: main.syncId, name: 'BlueConic → Copernica: profile interests', deadLettered: 1, retried: 1, delivered: 3, successRate: 0.75 }]);

    const tenantWide = (await usage({ tenant: true })).data!.usage;
    expect(tenantWide.totals).toEqual({ ...expected, received: 7, fetched: 8, delivered: 4, successRate: 0.8 });
    expect((await usage({ tenantId })).data!.usage.totals).toEqual(tenantWide.totals);
    // An operator reads any tenant's usage by its id; a tenant scope it has not got is refused.
    expect((await usage({ tenantId }, 'HOUR', stack.operatorToken)).data!.usage.totals).toEqual(tenantWide.totals);
    expect((await usage({ tenant: true }, 'HOUR', stack.operatorToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await usage({ targetHost: new URL(stack.accounts.copernicaUrl).host })).data!.usage.totals).toEqual(tenantWide.totals);
    expect((await usage({ targetHost: 'elsewhere.example.com' })).data!.usage.totals.received).toBe(0);
    const project = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { projectId } }`, { id: other.syncId });
    expect((await usage({ projectId: project.sync.projectId })).data!.usage.totals).toEqual({
      received: 1, fetched: 1, filtered: 0, unchanged: 0, delivered: 1, retried: 0, deadLettered: 0, successRate: 1,
    });
    const daily = (await usage({ tenant: true }, 'DAY')).data!.usage;
    expect(daily.totals).toEqual(tenantWide.totals);
    expect(daily.series.reduce((n: number, p: any) => n + p.received, 0)).toBe(7);
    expect(daily.series.every((p: any) => new Date(p.start).getUTCHours() === 0)).toBe(true);
  });

  it('refuses a scope that is not exactly one thing, and another tenant sees nothing of it', async () => {
    expect((await usage({})).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scope' });
    expect((await usage({ tenant: true, syncId: main.syncId })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const stranger = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Usage Stranger');
    expect((await usage({ syncId: main.syncId }, 'HOUR', stranger.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await usage({ tenantId }, 'HOUR', stranger.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await usage({ tenant: true }, 'HOUR', stranger.token)).data!.usage.totals.received).toBe(0);
  });

  it('reports 80 % and 100 % of a monthly quota, then ingress answers 429 quota_exceeded, or only reports when not enforced', async () => {
    const quotaOf = async () => (await usage({ tenant: true })).data!.usage.quota;
    // Used so far: 7 events this month. A quota of 9: the next event reaches 80 %, the one after 100 %.
    const set = (quota: number | null, enforce: boolean) => gql(stack.graphqlUrl, stack.operatorToken,
      `mutation($t: ID!, $q: Int, $e: Boolean!) { setTenantQuota(tenantId: $t, monthlyEventQuota: $q, enforce: $e) { monthlyEventQuota quotaEnforced } }`, { t: tenantId, q: quota, e: enforce });
    expect((await gql(stack.graphqlUrl, token, `mutation { setTenantQuota(tenantId: "${tenantId}", monthlyEventQuota: 1) { monthlyEventQuota } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await set(9, true)).data!.setTenantQuota).toEqual({ monthlyEventQuota: 9, quotaEnforced: true });
    expect(await quotaOf()).toEqual({ monthlyEventQuota: 9, used: 7, percentUsed: 77.78, enforced: true, level: 0 });

    await settled(await notify(main, 'u-4'), 'UNCHANGED');
    await eventually(async () => (await quotaOf()).level === 80);
    await settled(await notify(main, 'u-4'), 'UNCHANGED');
    expect(await eventually(async () => { const q = await quotaOf(); return q.level === 100 ? q : undefined; })).toEqual({ monthlyEventQuota: 9, used: 9, percentUsed: 100, enforced: true, level: 100 });

    const refused = await eventually(async () => { const r = await fetch(`${main.inboundUrl}?id=u-4`); return r.status === 429 ? r : undefined; }, 5_000);
    expect(await refused.json()).toEqual({ error: { code: 'quota_exceeded', message: expect.stringMatching(/monthly quota of 9 events .*setTenantQuota/) } });
    const notices = await gqlOk(stack.graphqlUrl, token, `{ auditLog(operation: "quotaThresholdReached", first: 10) { edges { node { actor targetType targetId after } } } }`);
    expect(notices.auditLog.edges).toHaveLength(2);
    expect(notices.auditLog.edges.map((e: any) => e.node)).toEqual(expect.arrayContaining([80, 100].map((percent) => ({
      actor: 'system', targetType: 'Tenant', targetId: tenantId, after: expect.objectContaining({ percent, quota: 9, enforced: true }),
    }))));

    // Report only: accepted again, still reported.
    await set(9, false);
    expect((await eventually(async () => { const r = await fetch(`${main.inboundUrl}?id=u-4`); return r.status === 202 ? r : undefined; }, 3_000)).status).toBe(202);
    expect((await quotaOf()).level).toBe(100);

    // An ingress that would trust its cached quota state for 10 minutes learns a change at once (ConfigChanged).
    const slow = await startIngress(loadDataPlaneEnv({ ...stack.env, HUB_INGRESS_PORT: '0', HUB_QUOTA_REFRESH_MS: '600000' }));
    try {
      const hook = () => fetch(`${slow.url}/hooks/${main.inboundKey}?id=u-4`).then((r) => r.status);
      expect(await hook()).toBe(202); // cached: over the quota, not enforced
      await set(9, true);
      expect(await eventually(async () => (await hook()) === 429, 3_000)).toBe(true);
      await set(null, true);
      expect(await eventually(async () => (await hook()) === 202, 3_000)).toBe(true);
    } finally {
      await slow.close();
    }
    expect((await quotaOf()).monthlyEventQuota).toBeNull();
  });
});
