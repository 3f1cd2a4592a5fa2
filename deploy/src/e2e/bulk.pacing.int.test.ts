import { gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario2 } from '../demo/scenarios';
import { seedProfiles, startRun, waitFor, waitForRun } from './bulk.helpers';
import { startTestStack, type TestStack } from './test.stack';

/**
 * ActiveCampaign's real limit (5 requests/s per account) with the engine's shared rate limiter,
 * and real-time work during a bulk run. The emulator refuses with 429 past 5/s, so a hub that
 * did not pace itself would be seen here.
 */
describe('bulk runs at ActiveCampaign\'s real 5 requests/s', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;
  let sync: { syncId: string; inboundUrl: string };

  beforeAll(async () => {
    stack = await startTestStack({ scheduler: true, env: { HUB_SCHEDULER_POLL_MS: '50' } });
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Pacing');
    token = t.token;
    projectId = t.projectId;
    sync = await setupScenario2(stack.graphqlUrl, token, projectId, stack.accounts, { bulk: { pageSize: 10 } });
  }, 60_000);
  afterAll(() => stack?.stop());

  const syncCalls = () => stack.activecampaign.requests.filter((r) => r.path === '/api/3/contact/sync');

  it('stays under the limit with the shared rate limiter: no 429 in a run (and prints how long 10,000 profiles take at the pace kept)', async () => {
    const N = 30;
    seedProfiles(stack.blueconic, N);
    const run = await startRun(stack.graphqlUrl, token, sync.syncId);
    const done = await waitForRun(stack.graphqlUrl, token, run.id, 60_000);
    expect(done).toMatchObject({ state: 'SUCCEEDED', progress: { records: N, delivered: N, failed: 0 } });
    expect(stack.activecampaign.rateLimited()).toBe(0);
    expect(stack.activecampaign.contacts()).toHaveLength(N);
    // The pace the limiter actually kept, from the emulator's receipt times.
    const at = syncCalls().map((r) => r.receivedAtMs).sort((x, y) => x - y);
    const perSec = (at.length - 1) / ((at.at(-1)! - at[0]!) / 1000);
    expect(perSec).toBeLessThanOrEqual(5.5);
    const tenThousandMin = 10_000 / perSec / 60;
    process.stdout.write(`pacing: ${at.length} calls at ${perSec.toFixed(2)} requests/s measured; 10,000 profiles at this pace: ${tenThousandMin.toFixed(1)} min\n`);
  }, 90_000);

  it('delivers real-time changes while a bulk run is still sending (real time goes first at the shared limit)', async () => {
    seedProfiles(stack.blueconic, 40, 1000);
    const run = await startRun(stack.graphqlUrl, token, sync.syncId);
    await waitForRun(stack.graphqlUrl, token, run.id, 30_000, (r) => r.progress.delivered >= 3);
    const latencies: number[] = [];
    for (let i = 0; i < 4; i++) {
      const email = `fan${i}@example.com`;
      stack.blueconic.upsertProfile({ id: `p0000${i}`, properties: { email: [email], firstname: [`Fan ${i}`], interests: [`realtime-${i}`] } });
      const sent = Date.now();
      expect((await fetch(`${sync.inboundUrl}?id=p0000${i}`)).status).toBe(202);
      await waitFor(`real-time change ${i}`, () => stack.activecampaign.contactByEmail(email)?.fieldValues['1'] === `realtime-${i}`, 20_000);
      latencies.push(Date.now() - sent);
    }
    const during = (await waitForRun(stack.graphqlUrl, token, run.id, 1, () => true));
    // Every real-time change arrived while the bulk run was still going…
    expect(['RUNNING', 'DRAINING']).toContain(during.state);
    const done = await waitForRun(stack.graphqlUrl, token, run.id, 60_000);
    expect(done).toMatchObject({ state: 'SUCCEEDED', progress: { delivered: 40, failed: 0 } });
    expect(stack.activecampaign.rateLimited()).toBe(0);
    latencies.sort((x, y) => x - y);
    const bulkSeconds = (Date.parse(done.endedAt) - Date.parse(done.startedAt)) / 1000;
    process.stdout.write(`real time during bulk: latencies ${latencies.join(', ')} ms (max ${latencies.at(-1)} ms); the bulk run took ${bulkSeconds.toFixed(1)} s\n`);
    // …each well within the time the run took (it spends a whole second on 5 records).
    expect(latencies.at(-1)!).toBeLessThan(bulkSeconds * 1000 / 2);
  }, 120_000);

  it('without the limiter (a sync allowed 50/s) the same account is refused with 429: what the test above would catch', async () => {
    stack.activecampaign.reset();
    const fast = await setupScenario2(stack.graphqlUrl, token, projectId, stack.accounts, { sync: { delivery: { rateLimitPerSec: 50 } }, bulk: { pageSize: 50 } });
    const run = await startRun(stack.graphqlUrl, token, fast.syncId);
    await waitFor('a 429 from ActiveCampaign', () => stack.activecampaign.rateLimited() > 0, 30_000);
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { cancelBulkRun(runId: $id) { state } }`, { id: run.id });
  }, 60_000);
});
