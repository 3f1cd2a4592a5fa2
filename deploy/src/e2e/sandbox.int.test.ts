import { startCopernica, type CopernicaHandle } from '@datahub/emulators';
import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, PROFILE_INTERESTS_MAPPING, setupScenario1, setupScenario3, type SyncSetup } from '../demo/scenarios';
import { COPERNICA_DB, COPERNICA_OAUTH1, COPERNICA_TOKEN, startTestStack, type TestStack } from './test.stack';

const RUN_FIELDS = `id mode status outcome reason mapped expected version
  steps { step output durationMs error { message position } }
  requests { method url headers body signatureBaseString sent response { status body error } }`;

const RUN = `mutation($syncId: ID!, $version: Int!, $input: SandboxSampleInput!, $mode: SandboxMode) {
  runSandbox(syncId: $syncId, version: $version, input: $input, mode: $mode) { ${RUN_FIELDS} } }`;

const SANDBOX_DB = { id: 2, name: 'newsletter-test', fields: ['email', 'firstname', 'lastname'] };
const SANDBOX_TOKEN = 'copernica-sandbox-token';

/** The sandbox runs the worker's own pipeline on a sample, shows every step and request, and gates activation. */
describe('sandbox runs, test cases and the activation gate', () => {
  let stack: TestStack;
  let testAccount: CopernicaHandle;
  let token: string;
  let s1: SyncSetup;
  let s3: SyncSetup;
  let firstRunId: string;

  beforeAll(async () => {
    [stack, testAccount] = await Promise.all([
      startTestStack({ env: { HUB_SANDBOX_TIMEOUT_MS: '4000', HUB_SANDBOX_RUNS_KEPT: '4' } }),
      startCopernica({ accessTokens: [SANDBOX_TOKEN], databases: [SANDBOX_DB] }),
    ]);
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Sandbox Club');
    token = tenant.token;
    s1 = await setupScenario1(stack.graphqlUrl, token, tenant.projectId, stack.accounts);
    s3 = await setupScenario3(stack.graphqlUrl, token, tenant.projectId, stack.accounts);
    stack.blueconic.upsertProfile({ id: 'p1', properties: { email: ['ann@example.com'], firstname: ['Ann'], interests: ['golf', 'chess'] } });
  }, 60_000);
  afterAll(async () => {
    await testAccount?.close();
    await stack?.stop();
  });

  const run = (syncId: string, version: number, input: Record<string, unknown>, mode = 'DRY_RUN', t = token) =>
    gql(stack.graphqlUrl, t, RUN, { syncId, version, input, mode });
  const liveWrites = () => stack.copernica.requests.filter((r) => r.method !== 'GET');
  const saveDraft = async (syncId: string, mapping: string) => {
    const current = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { versions { version source { connector operation credentialId baseUrl params } target { connector operation credentialId baseUrl params } } } }`, { id: syncId });
    const v1 = current.sync.versions[0];
    const d = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, {
      id: syncId, d: { trigger: { kind: 'NOTIFY', idParam: 'id' }, source: v1.source, target: v1.target, mapping },
    });
    return d.saveSyncDraft.version as number;
  };

  it('runs a draft dry: fetched record, mapped payload, change verdict and the signed request with the token redacted, nothing sent', async () => {
    const draft = await saveDraft(s1.syncId, PROFILE_INTERESTS_MAPPING.replace('"firstname"', '"lastname": "Sandbox", "firstname"'));
    const before = liveWrites().length;
    const res = await run(s1.syncId, draft, { entityId: 'p1' });
    expect(res.errors).toBeUndefined();
    const r = res.data!.runSandbox;
    firstRunId = r.id;
    expect(r).toMatchObject({ mode: 'DRY_RUN', status: 'PASSED', outcome: 'would_deliver', version: draft });
    expect(r.steps.map((s: { step: string }) => s.step)).toEqual(['fetch', 'transform', 'change_detection', 'deliver']);
    expect(r.steps[0].output.properties).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'email', values: ['ann@example.com'] })]));
    expect(r.mapped).toEqual({ fields: { email: 'ann@example.com', lastname: 'Sandbox', firstname: 'Ann' }, interests: ['golf', 'chess'] });
    expect(r.steps[2].output).toMatchObject({ send: true, last: null });
    const [fetch, put] = r.requests;
    expect(fetch).toMatchObject({ method: 'GET', sent: true, response: { status: 200 } });
    expect(put).toMatchObject({ method: 'PUT', sent: false, response: null, body: r.mapped, signatureBaseString: null });
    expect(put.url).toContain(`/v3/database/${COPERNICA_DB.id}/profiles?`);
    expect(new URL(put.url).searchParams.get('access_token')).toBe('[REDACTED]');
    expect(JSON.stringify(r)).not.toContain(COPERNICA_TOKEN);
    expect(fetch.headers.authorization).toBe('Bearer [REDACTED]');
    // Nothing reached the target, and the live sync's delivery log is untouched.
    expect(liveWrites().length).toBe(before);
    const log = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries { totalCount } } }`, { id: s1.syncId });
    expect(log.sync.deliveries.totalCount).toBe(0);
  });

  it('shows the OAuth 1.0a signature base string of the request it would send, without the secrets', async () => {
    const r = (await run(s3.syncId, 1, { entityId: 'p1' })).data!.runSandbox;
    expect(r.status).toBe('PASSED');
    const lookup = r.requests[1];
    const create = r.requests[2];
    expect(lookup).toMatchObject({ method: 'GET', sent: true, response: { status: 200 } });
    expect(create).toMatchObject({ method: 'POST', sent: false });
    expect(create.signatureBaseString).toMatch(/^POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fv3%2Fdatabase%2F1%2Fprofiles&/);
    expect(create.signatureBaseString).toContain(`oauth_consumer_key%3D${COPERNICA_OAUTH1.consumerKey}`);
    expect(create.headers.authorization).toMatch(/^OAuth .*oauth_signature="\[REDACTED\]"/);
    const text = JSON.stringify(r);
    expect(text).not.toContain(COPERNICA_OAUTH1.consumerSecret);
    expect(text).not.toContain(COPERNICA_OAUTH1.tokenSecret);
  });

  it('reports a JSONata error with its position, and a missing source record, as failed steps', async () => {
    const draft = await saveDraft(s1.syncId, '{ "fields": { "email": $notAFunction(record.id) } }');
    const r = (await run(s1.syncId, draft, { entityId: 'p1' })).data!.runSandbox;
    expect(r).toMatchObject({ status: 'FAILED', outcome: 'failed' });
    const transform = r.steps.find((s: { step: string }) => s.step === 'transform');
    expect(transform.error.message).toMatch(/notAFunction|function/i);
    expect(transform.error.position).toEqual(expect.any(Number));
    expect(r.requests).toHaveLength(1); // the fetch only

    const missing = (await run(s1.syncId, 1, { entityId: 'nobody' })).data!.runSandbox;
    expect(missing).toMatchObject({ status: 'FAILED', outcome: 'failed' });
    expect(missing.steps[0]).toMatchObject({ step: 'fetch', error: { message: expect.stringMatching(/no record nobody/) } });
  });

  it('refuses a sample that does not fit the trigger, and a SANDBOX_TARGET run when the sync names none', async () => {
    const wrong = await run(s1.syncId, 1, { record: { id: 'x' } });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.record' });
    const none = await run(s1.syncId, 1, { entityId: 'p1' }, 'SANDBOX_TARGET');
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mode' });
  });

  it('delivers SANDBOX_TARGET runs to the test database the sync names, and a LIVE_PROBE to the real target, both listed on the sync', async () => {
    const cred = await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, {
      i: { name: 'Copernica test account', apiKey: { key: SANDBOX_TOKEN } },
    });
    const set = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $t: EndpointInput) { setSyncSandboxTarget(syncId: $id, target: $t) { sandboxTarget { baseUrl params } } }`, {
      id: s1.syncId, t: { connector: 'copernica', operation: 'upsertProfile', credentialId: cred.createCredential.id, baseUrl: testAccount.url, params: { databaseId: String(SANDBOX_DB.id), matchField: 'email' } },
    });
    expect(set.setSyncSandboxTarget.sandboxTarget.params.databaseId).toBe('2');

    const sandboxed = (await run(s1.syncId, 1, { entityId: 'p1' }, 'SANDBOX_TARGET')).data!.runSandbox;
    expect(sandboxed).toMatchObject({ mode: 'SANDBOX_TARGET', status: 'PASSED', outcome: 'delivered' });
    expect(sandboxed.requests[1]).toMatchObject({ method: 'PUT', sent: true });
    expect(testAccount.profiles(SANDBOX_DB.id).map((p) => p.fields.email)).toEqual(['ann@example.com']);
    expect(stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'ann@example.com')).toBeUndefined();

    const probe = (await run(s1.syncId, 1, { entityId: 'p1' }, 'LIVE_PROBE')).data!.runSandbox;
    expect(probe).toMatchObject({ mode: 'LIVE_PROBE', status: 'PASSED', outcome: 'delivered' });
    expect(probe.requests[1].response.status).toBeLessThan(300);
    expect(stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'ann@example.com')?.interests).toEqual(expect.arrayContaining(['golf', 'chess']));

    const listed = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { sandboxRuns(first: 2) { totalCount edges { node { id mode } } pageInfo { hasNextPage } } } }`, { id: s1.syncId });
    expect(listed.sync.sandboxRuns.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([probe.id, sandboxed.id]);
    expect(listed.sync.sandboxRuns.pageInfo.hasNextPage).toBe(true);
    // Five runs of this sync so far, four kept (HUB_SANDBOX_RUNS_KEPT): the oldest, the first dry run, is gone.
    expect(listed.sync.sandboxRuns.totalCount).toBe(4);
    expect((await gql(stack.graphqlUrl, token, `query($id: ID!) { node(id: $id) { id } }`, { id: firstRunId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const node = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { node(id: $id) { ... on SandboxRun { mode outcome } } }`, { id: probe.id });
    expect(node.node).toEqual({ mode: 'LIVE_PROBE', outcome: 'delivered' });
  });

  it('activates a version only when its test cases pass; an admin may override, audited; no test cases activates with a warning', async () => {
    const activate = (version: number, override?: { reason: string }, t = token) => gql(stack.graphqlUrl, t,
      `mutation($id: ID!, $v: Int!, $o: ActivationOverrideInput) { activateSyncVersion(syncId: $id, version: $v, override: $o) { activeVersion versions { version activationCheck { status warning overrideReason runIds } } } }`,
      { id: s3.syncId, v: version, o: override });
    // No test cases yet: allowed, with a warning on the version.
    const good = await saveDraft(s3.syncId, PROFILE_INTERESTS_MAPPING);
    const free = await activate(good);
    expect(free.errors).toBeUndefined();
    expect(free.data!.activateSyncVersion.versions.find((v: { version: number }) => v.version === good).activationCheck).toMatchObject({ status: 'NO_TEST_CASES', warning: expect.stringMatching(/no test cases/) });

    const tc = await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateSyncTestCaseInput!) { createSyncTestCase(input: $i) { id name } }`, {
      i: { syncId: s3.syncId, name: 'Ann keeps her interests', input: { entityId: 'p1' }, expected: { interests: ['golf', 'chess'], fields: { firstname: 'Ann', email: 'ann@example.com' } } },
    });
    expect(tc.createSyncTestCase.name).toBe('Ann keeps her interests');

    const broken = await saveDraft(s3.syncId, PROFILE_INTERESTS_MAPPING.replace('"interests": [record.properties[id = "interests"].values]', '"interests": []'));
    const refused = await activate(broken);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', failedTestCases: [expect.objectContaining({ name: 'Ann keeps her interests', reason: expect.stringMatching(/differs/) })] });
    expect((await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { activeVersion } }`, { id: s3.syncId })).sync.activeVersion).toBe(good);

    // The override needs the admin scope.
    const writer = await gqlOk(stack.graphqlUrl, token, `mutation { createApiToken(input: { name: "ci", scopes: [READ, WRITE] }) { token } }`);
    const forbidden = await activate(broken, { reason: 'hotfix' }, writer.createApiToken.token);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const overridden = await activate(broken, { reason: 'Copernica interests reset on purpose' });
    expect(overridden.errors).toBeUndefined();
    expect(overridden.data!.activateSyncVersion.versions.find((v: { version: number }) => v.version === broken).activationCheck).toMatchObject({ status: 'OVERRIDDEN', overrideReason: 'Copernica interests reset on purpose' });
    const audit = await gqlOk(stack.graphqlUrl, token, `{ auditLog(operation: "activateSyncVersion", first: 1) { edges { node { outcome input } } } }`);
    expect(audit.auditLog.edges[0].node).toMatchObject({ outcome: 'ok', input: { override: { reason: 'Copernica interests reset on purpose' } } });

    // Rolling back to the good version runs the test case and passes.
    const passed = await activate(good);
    expect(passed.errors).toBeUndefined();
    const check = passed.data!.activateSyncVersion.versions.find((v: { version: number }) => v.version === good).activationCheck;
    expect(check.status).toBe('PASSED');
    expect(check.runIds).toHaveLength(1);
    const checkRun = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { node(id: $id) { ... on SandboxRun { status mode testCaseId } } }`, { id: check.runIds[0] });
    expect(checkRun.node).toEqual({ status: 'PASSED', mode: 'DRY_RUN', testCaseId: tc.createSyncTestCase.id });
  });

  it('runs a PUSH sync on a posted record: the filter step says why nothing would be sent, or what would', async () => {
    const versions = (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { projectId versions { target { connector operation credentialId baseUrl params } } } }`, { id: s1.syncId })).sync;
    const created = await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: {
      projectId: versions.projectId, name: 'pushed opt-ins', trigger: { kind: 'PUSH', idParam: 'id' }, target: versions.versions[0].target,
      filter: 'record.optin = true', mapping: '{ "fields": { "email": record.email } }',
    } });
    const push = (record: Record<string, unknown>) => run(created.createSync.id, 1, { record }).then((r) => r.data!.runSandbox);
    const out = await push({ id: 'r1', email: 'out@example.com', optin: false });
    expect(out).toMatchObject({ status: 'PASSED', outcome: 'filtered', requests: [] });
    expect(out.steps.map((x: { step: string; output: unknown }) => [x.step, x.output])).toEqual([['receive', { id: 'r1', email: 'out@example.com', optin: false }], ['filter', false]]);
    const inn = await push({ id: 'r2', email: 'in@example.com', optin: true });
    expect(inn).toMatchObject({ status: 'PASSED', outcome: 'would_deliver', mapped: { fields: { email: 'in@example.com' } } });
    expect(inn.steps.map((x: { step: string }) => x.step)).toEqual(['receive', 'filter', 'transform', 'change_detection', 'deliver']);
    expect(inn.requests).toHaveLength(1);
    expect(inn.requests[0]).toMatchObject({ method: 'PUT', sent: false, body: { fields: { email: 'in@example.com' } } });
  });

  it('reports what change detection would decide after a live delivery, without writing a fingerprint', async () => {
    stack.blueconic.upsertProfile({ id: 'p2', properties: { email: ['bo@example.com'], interests: ['tennis'] } });
    expect((await fetch(`${s1.inboundUrl}?id=p2`)).status).toBe(202);
    await eventually(async () => {
      const log = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries(outcome: DELIVERED) { totalCount } } }`, { id: s1.syncId });
      return log.sync.deliveries.totalCount >= 1;
    });
    const same = (await run(s1.syncId, 1, { entityId: 'p2' })).data!.runSandbox;
    expect(same).toMatchObject({ status: 'PASSED', outcome: 'unchanged', reason: expect.stringMatching(/equals the one last delivered/) });
    expect(same.steps.at(-1)).toMatchObject({ step: 'change_detection', output: { send: false, outcome: 'unchanged', last: { syncVersion: 1 } } });
    // A changed record would be sent; the dry run leaves the fingerprint as it was, so live still sends it.
    stack.blueconic.upsertProfile({ id: 'p2', properties: { email: ['bo@example.com'], interests: ['tennis', 'golf'] } });
    expect((await run(s1.syncId, 1, { entityId: 'p2' })).data!.runSandbox.outcome).toBe('would_deliver');
    expect((await run(s1.syncId, 1, { entityId: 'p2' })).data!.runSandbox.outcome).toBe('would_deliver');
  });

  it('answers UNAVAILABLE with what to do when no worker takes the run', async () => {
    await stack.worker.close();
    const started = Date.now();
    const res = await run(s1.syncId, 1, { entityId: 'p1' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(res.errors?.[0]?.message).toMatch(/no worker answered within 4000 ms/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
