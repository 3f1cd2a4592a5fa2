import { Client } from 'pg';
import { gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, setupScenario2 } from '../demo/scenarios';
import { seedProfiles, startRun, waitFor, waitForRun } from './bulk.helpers';
import { ACTIVECAMPAIGN_TOKEN, startTestStack, type TestStack } from './test.stack';

const AUDIT_FIELDS = `id state sampled matched mismatched unreadable matchRate error repairRunId
  examples { entityId verdict matchValue differences }`;

/** The sync guide's accuracy audit, incremental runs, cancelling, and cron schedules, on scenario 2. */
describe('accuracy audit, incremental runs, cancel and schedules', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;
  let syncId: string;
  let firstRunId: string;

  beforeAll(async () => {
    stack = await startTestStack({ scheduler: true, activecampaignRateLimitPerSec: 1_000 });
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Audit');
    token = t.token;
    projectId = t.projectId;
    syncId = (await setupScenario2(stack.graphqlUrl, token, projectId, stack.accounts, { sync: { delivery: { rateLimitPerSec: 500 } } })).syncId;
    seedProfiles(stack.blueconic, 10);
    const run = await startRun(stack.graphqlUrl, token, syncId);
    firstRunId = run.id;
    expect(await waitForRun(stack.graphqlUrl, token, run.id, 30_000)).toMatchObject({ state: 'SUCCEEDED', progress: { delivered: 10 } });
  }, 90_000);
  afterAll(() => stack?.stop());

  const audit = async (sampleSize: number) => {
    const started = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $n: Int) { runAccuracyAudit(syncId: $id, sampleSize: $n) { id state } }`, { id: syncId, n: sampleSize })).runAccuracyAudit;
    expect(started.state).toBe('QUEUED');
    return waitFor('the audit', async () => {
      const a = (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { node(id: $id) { ... on AccuracyAudit { ${AUDIT_FIELDS} } } }`, { id: started.id })).node;
      return ['SUCCEEDED', 'FAILED'].includes(a.state) ? a : null;
    }, 30_000);
  };

  it('finds records broken in ActiveCampaign (field by field, and a deleted one), and repairAuditMismatches puts them right', async () => {
    stack.activecampaign.patchContact('fan3@example.com', { firstName: 'Broken' });
    stack.activecampaign.patchContact('fan6@example.com', { fieldValues: { '1': 'knitting' } });
    const gone = stack.activecampaign.contactByEmail('fan9@example.com')!;
    expect((await fetch(`${stack.activecampaign.url}/contacts/${gone.id}`, { method: 'DELETE', headers: { 'Api-Token': ACTIVECAMPAIGN_TOKEN } })).status).toBe(200);

    const found = await audit(10);
    expect(found).toMatchObject({ state: 'SUCCEEDED', sampled: 10, matched: 7, mismatched: 3, unreadable: 0, matchRate: 0.7 });
    expect(found.examples).toEqual([
      { entityId: 'p00003', verdict: 'MISMATCH', matchValue: 'fan3@example.com', differences: [{ path: 'contact.firstName', expected: 'Fan 3', actual: 'Broken' }] },
      { entityId: 'p00006', verdict: 'MISMATCH', matchValue: 'fan6@example.com', differences: [{ path: 'contact.fieldValues', expected: [{ field: '1', value: 'hockey' }], actual: [{ field: '1', value: 'knitting' }] }] },
      { entityId: 'p00009', verdict: 'MISSING', matchValue: 'fan9@example.com', differences: [expect.objectContaining({ actual: null })] },
    ]);

    // The hub's change detection still thinks these are in step: a repair must send them anyway.
    const repair = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { repairAuditMismatches(auditId: $id) { id mode state } }`, { id: found.id })).repairAuditMismatches;
    expect(repair.mode).toBe('REPAIR');
    const repaired = await waitForRun(stack.graphqlUrl, token, repair.id, 30_000);
    expect(repaired).toMatchObject({ state: 'SUCCEEDED', progress: { records: 3, delivered: 3, unchanged: 0 } });
    expect(stack.activecampaign.contactByEmail('fan3@example.com')?.firstName).toBe('Fan 3');
    expect(stack.activecampaign.contactByEmail('fan6@example.com')?.fieldValues['1']).toBe('hockey');
    expect(stack.activecampaign.contactByEmail('fan9@example.com')).toBeDefined();
    // Once per audit: asking again returns the same run.
    const again = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { repairAuditMismatches(auditId: $id) { id } }`, { id: found.id })).repairAuditMismatches;
    expect(again.id).toBe(repair.id);

    const after = await audit(10);
    expect(after).toMatchObject({ matched: 10, mismatched: 0, matchRate: 1, examples: [] });
    const listed = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { accuracyAudits { totalCount edges { node { id repairRunId } } } } }`, { id: syncId });
    expect(listed.sync.accuracyAudits.totalCount).toBe(2);
    expect(listed.sync.accuracyAudits.edges[1].node).toEqual({ id: found.id, repairRunId: repair.id });
  }, 90_000);

  it('audits a Copernica sync too (scenario 1): a profile changed in Copernica is found', async () => {
    const s1 = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $seg: JSONObject!) { configureBulkSync(syncId: $id, input: { listOperation: "listSegmentProfiles", params: $seg }) { listOperation } }`,
      { id: s1.syncId, seg: { segmentId: stack.accounts.blueconicSegmentId } });
    const run = await startRun(stack.graphqlUrl, token, s1.syncId);
    expect(await waitForRun(stack.graphqlUrl, token, run.id, 30_000)).toMatchObject({ state: 'SUCCEEDED', progress: { delivered: 10 } });
    const target = stack.copernica.profiles().find((p) => p.fields.email === 'fan4@example.com')!;
    expect((await fetch(`${stack.copernica.url}/profile/${target.ID}/fields?access_token=${stack.accounts.copernicaToken}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ firstname: 'Changed in Copernica' }),
    })).status).toBe(204);
    const started = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { runAccuracyAudit(syncId: $id, sampleSize: 10) { id } }`, { id: s1.syncId })).runAccuracyAudit;
    const done = await waitFor('the Copernica audit', async () => {
      const a = (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { node(id: $id) { ... on AccuracyAudit { ${AUDIT_FIELDS} } } }`, { id: started.id })).node;
      return ['SUCCEEDED', 'FAILED'].includes(a.state) ? a : null;
    }, 30_000);
    expect(done).toMatchObject({ state: 'SUCCEEDED', sampled: 10, matched: 9, mismatched: 1 });
    expect(done.examples).toEqual([
      { entityId: 'p00004', verdict: 'MISMATCH', matchValue: 'fan4@example.com', differences: [{ path: 'fields.firstname', expected: 'Fan 4', actual: 'Changed in Copernica' }] },
    ]);
  }, 60_000);

  it('an incremental run reads only the profiles modified since the last full or incremental run started', async () => {
    await new Promise((r) => setTimeout(r, 50));
    stack.blueconic.upsertProfile({ id: 'p00001', properties: { email: ['fan1@example.com'], firstname: ['Fan 1'], interests: ['rowing'] } });
    stack.blueconic.upsertProfile({ id: 'p00002', properties: { email: ['fan2@example.com'], firstname: ['Fan Two'], interests: ['hockey'] } });
    const run = await startRun(stack.graphqlUrl, token, syncId, 'INCREMENTAL');
    const done = await waitForRun(stack.graphqlUrl, token, run.id, 30_000);
    expect(done).toMatchObject({ state: 'SUCCEEDED', mode: 'INCREMENTAL', progress: { records: 2, delivered: 2 } });
    expect(stack.activecampaign.contactByEmail('fan2@example.com')?.firstName).toBe('Fan Two');
    const pages = stack.blueconic.requests.filter((r) => r.path.includes('/segments/') && r.query.trackPropertiesModifiedSince !== undefined);
    expect(pages.length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a second open run and a cancel of a finished one (CONFLICT); cancels a running run after its page in hand', async () => {
    const slow = await setupScenario2(stack.graphqlUrl, token, projectId, stack.accounts, { sync: { delivery: { rateLimitPerSec: 2 } }, bulk: { pageSize: 2, maxInFlight: 2 } });
    const run = await startRun(stack.graphqlUrl, token, slow.syncId);
    const second = await gql(stack.graphqlUrl, token, `mutation($id: ID!) { startBulkRun(syncId: $id) { id } }`, { id: slow.syncId });
    expect(second.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await waitForRun(stack.graphqlUrl, token, run.id, 30_000, (r) => r.progress.pages >= 1);
    const cancelled = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { cancelBulkRun(runId: $id) { state } }`, { id: run.id })).cancelBulkRun;
    expect(['CANCELLING', 'CANCELLED']).toContain(cancelled.state);
    const ended = await waitForRun(stack.graphqlUrl, token, run.id, 30_000);
    expect(ended.state).toBe('CANCELLED');
    expect(ended.progress.records).toBeLessThan(10);
    const late = await gql(stack.graphqlUrl, token, `mutation($id: ID!) { cancelBulkRun(runId: $id) { state } }`, { id: firstRunId });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  }, 60_000);

  it('runs bulk syncs and audits on their cron schedules, and refuses a schedule that is not cron', async () => {
    const bad = await gql(stack.graphqlUrl, token, `mutation($id: ID!) { configureBulkSync(syncId: $id, input: { listOperation: "listSegmentProfiles", params: { segmentId: "x" }, schedule: "every hour" }) { schedule } }`, { id: syncId });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.schedule' });
    const wrongOp = await gql(stack.graphqlUrl, token, `mutation($id: ID!) { configureBulkSync(syncId: $id, input: { listOperation: "getProfile" }) { schedule } }`, { id: syncId });
    expect(wrongOp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.listOperation' });
    const set = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $seg: JSONObject!) { configureBulkSync(syncId: $id, input: {
        listOperation: "listSegmentProfiles", params: $seg, schedule: "0 3 * * *", scheduleMode: INCREMENTAL, auditSchedule: "30 3 * * 1", auditSampleSize: 5 }) {
        schedule nextRunAt auditSchedule nextAuditAt } }`, { id: syncId, seg: { segmentId: stack.accounts.blueconicSegmentId } })).configureBulkSync;
    expect(new Date(set.nextRunAt).getUTCHours()).toBe(3);
    expect(new Date(set.nextAuditAt).getUTCDay()).toBe(1);
    // The night comes early: both times are due now.
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      await db.query(`UPDATE bulk_settings SET next_run_at = now() - interval '1 second', next_audit_at = now() - interval '1 second'`);
      const runs = await waitFor('a scheduled run', async () => {
        const s = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { bulkRuns(first: 1) { edges { node { id mode state } } } accuracyAudits(first: 1) { totalCount edges { node { state sampled } } } bulkSettings { nextRunAt nextAuditAt } } }`, { id: syncId });
        const later = (at: string | null) => at !== null && new Date(at) > new Date();
        return s.sync.bulkRuns.edges[0].node.mode === 'INCREMENTAL' && s.sync.accuracyAudits.totalCount !== 0
          && later(s.sync.bulkSettings.nextRunAt) && later(s.sync.bulkSettings.nextAuditAt) ? s : null;
      }, 20_000);
      const { rows } = await db.query(`SELECT trigger FROM bulk_runs WHERE trigger = 'schedule' UNION ALL SELECT trigger FROM accuracy_audits WHERE trigger = 'schedule'`);
      expect(rows.map((r) => r.trigger)).toEqual(['schedule', 'schedule']);
      expect(new Date(runs.sync.bulkSettings.nextAuditAt).getUTCDay()).toBe(1);
    } finally {
      await db.end();
    }
  }, 60_000);
});
