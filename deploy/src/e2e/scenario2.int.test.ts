import { gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario2 } from '../demo/scenarios';
import { seedProfiles, startRun, waitFor, waitForRun } from './bulk.helpers';
import { startTestStack, type TestStack } from './test.stack';

/**
 * The brief's scenario 2: a clean-slate ActiveCampaign gets every BlueConic profile in bulk, then
 * stays up to date in real time; a second bulk run sends nothing unchanged.
 */
describe('scenario 2: BlueConic → ActiveCampaign in bulk, then in real time', () => {
  const PROFILES = 10_000;
  let stack: TestStack;
  let token: string;
  let syncId: string;
  let inboundUrl: string;

  beforeAll(async () => {
    // The emulator's limit is raised for the 10,000; the sync's own limit (the engine's shared
    // token bucket) stays under it, so the emulator must never have to refuse a request. The whole
    // hub and the emulators share this one process: a generous timeout keeps a busy test machine
    // from looking like a failing target (which would open the circuit breaker).
    stack = await startTestStack({ scheduler: true, activecampaignRateLimitPerSec: 3_000, env: { HUB_BULK_PREFETCH: '32', HUB_HTTP_TIMEOUT_MS: '15000' } });
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Scenario 2');
    token = t.token;
    const s = await setupScenario2(stack.graphqlUrl, token, t.projectId, stack.accounts, { sync: { delivery: { rateLimitPerSec: 2_500 } } });
    syncId = s.syncId;
    inboundUrl = s.inboundUrl;
    seedProfiles(stack.blueconic, PROFILES);
  }, 60_000);
  afterAll(() => stack?.stop());

  it('a bulk run brings every profile into an empty ActiveCampaign, page by page, without one 429', async () => {
    expect(stack.activecampaign.contacts()).toHaveLength(0);
    const started = Date.now();
    const run = await startRun(stack.graphqlUrl, token, syncId);
    expect(run.state).toBe('QUEUED');
    const done = await waitForRun(stack.graphqlUrl, token, run.id, 280_000);
    const seconds = (Date.now() - started) / 1000;
    expect(done).toMatchObject({ state: 'SUCCEEDED', mode: 'FULL', progress: { pages: PROFILES / 500, records: PROFILES, total: PROFILES, delivered: PROFILES, unchanged: 0, failed: 0, inFlight: 0 } });
    expect(done.startedAt).toBeTruthy();
    // One trace for the run, a new one per page (linked to it), each with a link into the tracing UI.
    expect(done.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(done.traceUrl).toContain(done.traceId);
    expect(new Set(done.pageTraceIds).size).toBe(PROFILES / 500);
    expect(done.pageTraceIds).not.toContain(done.traceId);
    expect(done.endedAt).toBeTruthy();
    const contacts = stack.activecampaign.contacts();
    expect(contacts).toHaveLength(PROFILES);
    expect(stack.activecampaign.contactByEmail('fan7@example.com')).toMatchObject({ firstName: 'Fan 7', fieldValues: { '1': 'football,tennis' } });
    expect(stack.activecampaign.contactByEmail('fan8@example.com')).toMatchObject({ fieldValues: { '1': 'hockey' } });
    expect(stack.activecampaign.rateLimited()).toBe(0);
    // Every page was read once, in order, following nextCursor.
    const pages = stack.blueconic.requests.filter((r) => r.path.endsWith('/profiles') && r.path.includes('/segments/'));
    expect(pages).toHaveLength(PROFILES / 500);
    expect(new Set(pages.map((p) => p.query.cursor)).size).toBe(PROFILES / 500);
    process.stdout.write(`scenario 2: ${PROFILES} profiles in ${seconds.toFixed(1)} s (limit 2,500/s)\n`);
  }, 300_000);

  it('then a profile change reaches ActiveCampaign in real time', async () => {
    stack.blueconic.upsertProfile({ id: 'p00042', properties: { email: ['fan42@example.com'], firstname: ['Fan 42'], interests: ['cycling', 'golf'] } });
    const res = await fetch(`${inboundUrl}?id=p00042`);
    expect(res.status).toBe(202);
    await waitFor('the change in ActiveCampaign', () => stack.activecampaign.contactByEmail('fan42@example.com')?.fieldValues['1'] === 'cycling,golf', 20_000);
  }, 30_000);

  it('a second bulk run sends nothing unchanged (change detection)', async () => {
    const before = stack.activecampaign.requests.filter((r) => r.path === '/api/3/contact/sync').length;
    const run = await startRun(stack.graphqlUrl, token, syncId);
    const done = await waitForRun(stack.graphqlUrl, token, run.id, 200_000);
    expect(done).toMatchObject({ state: 'SUCCEEDED', progress: { records: PROFILES, delivered: 0, unchanged: PROFILES, failed: 0 } });
    expect(stack.activecampaign.requests.filter((r) => r.path === '/api/3/contact/sync').length).toBe(before);
    // Both runs are listed on the sync, newest first.
    const listed = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { bulkRuns(first: 5) { totalCount edges { node { id state } } } } }`, { id: syncId });
    expect(listed.sync.bulkRuns.totalCount).toBe(2);
    expect(listed.sync.bulkRuns.edges[0].node.id).toBe(run.id);
  }, 240_000);
});
