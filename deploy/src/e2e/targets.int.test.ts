import { fromBinary, SyncPlanSchema } from '@datahub/proto';
import { Client } from 'pg';
import { gql, gqlOk } from '../demo/graphql.client';
import { createTenant } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/**
 * What the control plane shows of the delivery engine's state: targets (circuit breaker + rate
 * limit per host and credential, written by the data plane), why a credential is failing, and the
 * per-sync delivery policy compiled into the plan workers run.
 */
describe('delivery engine state in GraphQL', () => {
  let stack: TestStack;
  let db: Client;
  let a: { tenantId: string; projectId: string; token: string; credentialId: string };
  let b: { tenantId: string; projectId: string; token: string; credentialId: string };

  const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':').slice(1).join(':');
  const tenantWithCredential = async (name: string) => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, name);
    const c = await gqlOk(stack.graphqlUrl, t.token, `mutation { createCredential(input: { name: "Copernica", apiKey: { key: "k" } }) { id } }`);
    return { ...t, tenantId: rawId(t.tenantId), credentialId: c.createCredential.id as string };
  };
  const target = (credentialGlobalId: string) => ({
    connector: 'copernica', operation: 'upsertProfile', credentialId: credentialGlobalId, baseUrl: stack.copernica.url, params: { databaseId: '1' },
  });
  const createSync = (t: typeof a, delivery: unknown) => gql(stack.graphqlUrl, t.token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`,
    { i: { projectId: t.projectId, name: 'policy', trigger: { kind: 'PUSH' }, mapping: 'record', target: target(t.credentialId), delivery } });

  beforeAll(async () => {
    stack = await startTestStack();
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    [a, b] = await Promise.all([tenantWithCredential('Targets A'), tenantWithCredential('Targets B')]);
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  describe('targets', () => {
    const TARGETS = `query($first: Int, $after: String, $host: String, $state: CircuitState) {
      targets(first: $first, after: $after, host: $host, state: $state) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { id host credential { id } circuit { state failures lastFailure openedAt halfOpenedAt closedAt }
          rateLimit { perSecond utilisation peakUtilisation threshold thresholdAt } } } } }`;
    const list = async (token: string, vars: Record<string, unknown> = {}) => (await gqlOk(stack.graphqlUrl, token, TARGETS, vars)).targets;

    beforeAll(async () => {
      const ca = rawId(a.credentialId);
      const cb = rawId(b.credentialId);
      await db.query(`
        INSERT INTO target_circuits (target, tenant_id, host, credential_id, state, failures, last_failure, opened_at)
        VALUES ('api.copernica.com#' || $2, $1::uuid, 'api.copernica.com', $2::uuid, 'open', 5, 'HTTP 503', '2026-01-01T10:00:00Z'),
               ('api.blueconic.net#' || $2, $1::uuid, 'api.blueconic.net', $2::uuid, 'closed', 0, NULL, NULL),
               ('api.copernica.com#' || $4, $3::uuid, 'api.copernica.com', $4::uuid, 'half_open', 5, 'timeout', '2026-01-01T09:00:00Z'),
               ('api.copernica.com#orphan', NULL, 'api.copernica.com', NULL, 'open', 9, NULL, NULL)`,
      [a.tenantId, ca, b.tenantId, cb]);
      await db.query(`
        INSERT INTO target_rate_buckets (target, tenant_id, host, credential_id, rate_per_sec, burst, tokens, utilisation, peak_utilisation, threshold, threshold_at)
        VALUES ('api.copernica.com#' || $2, $1::uuid, 'api.copernica.com', $2::uuid, 10, 10, 2, 0.85, 0.97, 95, '2026-01-01T10:05:00Z'),
               ('hooks.example.com#deleted', $1::uuid, 'hooks.example.com', NULL, 2.5, 5, 5, 0, 0, 0, NULL)`,
      [a.tenantId, ca]);
    });

    it("lists a tenant's targets by host with circuit, rate limit and credential, page by page", async () => {
      const first = await list(a.token, { first: 2 });
      expect(first.totalCount).toBe(3);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(first.edges.map((e: any) => e.node.host)).toEqual(['api.blueconic.net', 'api.copernica.com']);
      const [blueconic, copernica] = first.edges.map((e: any) => e.node);
      expect(blueconic).toMatchObject({ circuit: { state: 'CLOSED', failures: 0, lastFailure: null }, rateLimit: null, credential: { id: a.credentialId } });
      expect(copernica).toMatchObject({
        circuit: { state: 'OPEN', failures: 5, lastFailure: 'HTTP 503', openedAt: '2026-01-01T10:00:00.000Z', halfOpenedAt: null, closedAt: null },
        rateLimit: { perSecond: 10, utilisation: 0.85, peakUtilisation: 0.97, threshold: 95, thresholdAt: '2026-01-01T10:05:00.000Z' },
        credential: { id: a.credentialId },
      });
      const second = await list(a.token, { first: 2, after: first.pageInfo.endCursor });
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect(second.edges.map((e: any) => e.node)).toEqual([expect.objectContaining({ host: 'hooks.example.com', circuit: null, credential: null, rateLimit: expect.objectContaining({ perSecond: 2.5, threshold: 0 }) })]);
    });

    it('filters by host and by circuit state', async () => {
      expect((await list(a.token, { host: 'API.Copernica.com' })).edges.map((e: any) => e.node.circuit.state)).toEqual(['OPEN']);
      expect((await list(a.token, { state: 'CLOSED' })).edges.map((e: any) => e.node.host)).toEqual(['api.blueconic.net']);
      expect((await list(a.token, { state: 'HALF_OPEN' })).totalCount).toBe(0);
    });

    it("shows each tenant only its own targets, and another tenant's target id is NOT_FOUND", async () => {
      const mine = await list(b.token);
      expect(mine.totalCount).toBe(1);
      expect(mine.edges[0].node).toMatchObject({ host: 'api.copernica.com', circuit: { state: 'HALF_OPEN' }, credential: { id: b.credentialId } });
      const node = `query($id: ID!) { node(id: $id) { id ... on Target { host circuit { state } } } }`;
      expect((await gqlOk(stack.graphqlUrl, b.token, node, { id: mine.edges[0].node.id })).node.circuit.state).toBe('HALF_OPEN');
      expect((await gql(stack.graphqlUrl, a.token, node, { id: mine.edges[0].node.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const ofA = (await list(a.token)).edges.map((e: any) => e.node.id);
      expect(ofA).not.toContain(mine.edges[0].node.id);
    });
  });

  describe('delivery policy', () => {
    it('compiles the policy into the plan, with unset fields from the project defaults', async () => {
      await gqlOk(stack.graphqlUrl, a.token, `mutation($p: ID!) { setProjectDefaults(projectId: $p, defaults: { delivery: { timeoutMs: 7000, rateLimitPerSec: 1 } }) { id } }`, { p: a.projectId });
      const created = await createSync(a, { retryScheduleSec: [10, 20, 600], rateLimitPerSec: 2.5 });
      const syncId = created.data!.createSync.id as string;
      await gqlOk(stack.graphqlUrl, a.token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: syncId });
      const shown = await gqlOk(stack.graphqlUrl, a.token, `query($id: ID!) { sync(id: $id) { versions { delivery { retryScheduleSec timeoutMs rateLimitPerSec } } } }`, { id: syncId });
      expect(shown.sync.versions[0].delivery).toEqual({ retryScheduleSec: [10, 20, 600], timeoutMs: 7000, rateLimitPerSec: 2.5 });

      const { rows } = await db.query(`SELECT plan FROM sync_plans WHERE sync_id = $1 AND version = 1`, [rawId(syncId)]);
      const plan = fromBinary(SyncPlanSchema, rows[0].plan);
      expect(plan.delivery).toMatchObject({ retryScheduleMs: [10_000, 20_000, 600_000], timeoutMs: 7000, rateLimitPerSec: 2.5 });
    });

    it('refuses out-of-range values with BAD_USER_INPUT at their path', async () => {
      const fieldOf = (r: Awaited<ReturnType<typeof gql>>) => [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field];
      expect(fieldOf(await createSync(b, { timeoutMs: 50 }))).toEqual(['BAD_USER_INPUT', 'input.delivery.timeoutMs']);
      expect(fieldOf(await createSync(b, { retryScheduleSec: [30, 0] }))).toEqual(['BAD_USER_INPUT', 'input.delivery.retryScheduleSec.1']);
      expect(fieldOf(await createSync(b, { retryScheduleSec: [] }))).toEqual(['BAD_USER_INPUT', 'input.delivery.retryScheduleSec']);
      expect(fieldOf(await createSync(b, { rateLimitPerSec: 0 }))).toEqual(['BAD_USER_INPUT', 'input.delivery.rateLimitPerSec']);
      expect(fieldOf(await gql(stack.graphqlUrl, b.token, `mutation { setTenantDefaults(defaults: { delivery: { rateLimitPerSec: 20000 } }) { id } }`)))
        .toEqual(['BAD_USER_INPUT', 'defaults.delivery.rateLimitPerSec']);
    });
  });

  describe('credential status', () => {
    it('shows why a credential is failing, and a rotation makes it active again without a reason', async () => {
      await db.query(`UPDATE credentials SET status = 'failing', status_reason = 'token endpoint answered 401 invalid_client', status_changed_at = '2026-01-01T08:00:00Z' WHERE id = $1`, [rawId(b.credentialId)]);
      const q = `query($id: ID!) { credential(id: $id) { status statusReason statusChangedAt } }`;
      expect((await gqlOk(stack.graphqlUrl, b.token, q, { id: b.credentialId })).credential)
        .toEqual({ status: 'FAILING', statusReason: 'token endpoint answered 401 invalid_client', statusChangedAt: '2026-01-01T08:00:00.000Z' });
      const failing = await gqlOk(stack.graphqlUrl, b.token, `{ credentials(status: FAILING) { edges { node { id } } } }`);
      expect(failing.credentials.edges.map((e: any) => e.node.id)).toEqual([b.credentialId]);

      const rotated = await gqlOk(stack.graphqlUrl, b.token, `mutation($id: ID!) { rotateCredential(id: $id, secret: { apiKey: { key: "k2" } }) { status statusReason statusChangedAt } }`, { id: b.credentialId });
      expect(rotated.rotateCredential).toMatchObject({ status: 'ACTIVE', statusReason: null });
      expect(new Date(rotated.rotateCredential.statusChangedAt).getTime()).toBeGreaterThan(Date.parse('2026-01-01T08:00:00Z'));
    });
  });

  it('shows the new outcomes and the target host of an attempt, and filters by outcome', async () => {
    const syncId = (await createSync(b, null)).data!.createSync.id as string;
    await db.query(`
      INSERT INTO delivery_attempts (event_id, tenant_id, sync_id, sync_version, attempt, outcome, entity_id, duration_ms, target)
      VALUES (gen_random_uuid(), $1, $2, 1, 1, 'unchanged', 'p-1', 3, NULL),
             (gen_random_uuid(), $1, $2, 1, 1, 'delivered', 'p-2', 40, 'api.copernica.com')`, [b.tenantId, rawId(syncId)]);
    const q = `query($id: ID!, $o: DeliveryOutcome) { sync(id: $id) { deliveries(outcome: $o) { edges { node { entityId outcome target } } } } }`;
    const unchanged = await gqlOk(stack.graphqlUrl, b.token, q, { id: syncId, o: 'UNCHANGED' });
    expect(unchanged.sync.deliveries.edges.map((e: any) => e.node)).toEqual([{ entityId: 'p-1', outcome: 'UNCHANGED', target: null }]);
    const all = await gqlOk(stack.graphqlUrl, b.token, q, { id: syncId });
    expect(all.sync.deliveries.edges.map((e: any) => e.node.target)).toContain('api.copernica.com');
  });
});
