import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, PROFILE_INTERESTS_MAPPING, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** Sync life cycle (drafts, immutable versions, diff, rollback, filters), previews, templates and credentials. */
describe('syncs, templates and credentials as a product', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Product Club'));
    sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
  });
  afterAll(() => stack?.stop());

  const version = async (v: number) =>
    (await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { activeVersion versions { version state mapping filter source { credentialId baseUrl } target { connector operation credentialId baseUrl params } } } }`, { id: sync.syncId })).sync;
  const definitionOf = (s: any, v: number) => {
    const ver = s.versions.find((x: any) => x.version === v);
    return {
      trigger: { kind: 'NOTIFY', idParam: 'id' },
      source: { connector: 'blueconic', operation: 'getProfile', credentialId: ver.source.credentialId, baseUrl: ver.source.baseUrl },
      mapping: ver.mapping,
      target: { connector: ver.target.connector, operation: ver.target.operation, credentialId: ver.target.credentialId, baseUrl: ver.target.baseUrl, params: ver.target.params },
    };
  };
  const byEmail = (email: string) => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === email);

  it('keeps an activated version immutable: edits open version 2, diff shows them, activation and rollback switch what runs', async () => {
    const v1 = await version(1);
    expect(v1.versions.map((v: any) => [v.version, v.state])).toEqual([[1, 'ACTIVE']]);
    const edited = { ...definitionOf(v1, 1), mapping: PROFILE_INTERESTS_MAPPING.replace('"firstname"', '"lastname"') };
    const saved = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version state } }`, { id: sync.syncId, d: edited });
    expect(saved.saveSyncDraft).toEqual({ version: 2, state: 'DRAFT' });
    const again = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, { id: sync.syncId, d: edited });
    expect(again.saveSyncDraft.version).toBe(2); // a draft is edited in place

    const diff = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { diffSyncVersions(syncId: $id, from: 1, to: 2) { path before after } }`, { id: sync.syncId });
    expect(diff.diffSyncVersions.map((c: any) => c.path)).toEqual(['mapping']);

    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 2) { activeVersion } }`, { id: sync.syncId });
    stack.blueconic.upsertProfile({ id: 'v-ann', properties: { email: ['ann@example.com'], firstname: ['Ann'], interests: ['golf'] } });
    await fetch(`${sync.inboundUrl}?id=v-ann`);
    await eventually(() => byEmail('ann@example.com')?.fields.lastname === 'Ann');

    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: sync.syncId });
    stack.blueconic.upsertProfile({ id: 'v-bob', properties: { email: ['bob@example.com'], firstname: ['Bob'], interests: ['golf'] } });
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=v-bob`)).status === 202);
    await eventually(() => byEmail('bob@example.com')?.fields.firstname === 'Bob');
    const after = await version(1);
    expect(after.activeVersion).toBe(1);
    expect(after.versions.map((v: any) => v.state)).toEqual(['ACTIVE', 'INACTIVE']);
  });

  it('delivers only records that match the entity filter, and records the rest as filtered', async () => {
    const s = await version(1);
    const d = { ...definitionOf(s, 1), filter: `record.properties[id = "optin"].values[0] = "yes"` };
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, { id: sync.syncId, d });
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 3) { activeVersion } }`, { id: sync.syncId });
    stack.blueconic.upsertProfile({ id: 'f-yes', properties: { email: ['yes@example.com'], optin: ['yes'], interests: ['a'] } });
    stack.blueconic.upsertProfile({ id: 'f-no', properties: { email: ['no@example.com'], optin: ['no'], interests: ['a'] } });
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=f-no`)).status === 202);
    await fetch(`${sync.inboundUrl}?id=f-yes`);
    await eventually(() => byEmail('yes@example.com'));
    const log = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries(first: 100) { edges { node { entityId outcome } } } } }`, { id: sync.syncId });
    await eventually(async () => {
      const l = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { deliveries(first: 100) { edges { node { entityId outcome } } } } }`, { id: sync.syncId });
      return l.sync.deliveries.edges.some((e: any) => e.node.entityId === 'f-no' && e.node.outcome === 'FILTERED');
    });
    expect(log.sync.deliveries.edges.length).toBeGreaterThan(0);
    expect(byEmail('no@example.com')).toBeUndefined();
  });

  it('previews a mapping on a sample record, and points at the error when it does not compile', async () => {
    const record = { properties: [{ id: 'email', values: ['p@example.com'] }, { id: 'interests', values: ['chess'] }] };
    const ok = await gqlOk(stack.graphqlUrl, token, `query($r: JSON!, $m: String!) { previewMapping(input: { mapping: $m, record: $r, filter: "true" }) { output passesFilter error { message } } }`, { r: record, m: PROFILE_INTERESTS_MAPPING });
    expect(ok.previewMapping).toEqual({ output: { fields: { email: 'p@example.com' }, interests: ['chess'] }, passesFilter: true, error: null });
    const bad = await gqlOk(stack.graphqlUrl, token, `query($r: JSON!) { previewMapping(input: { mapping: "{ \\"a\\": record.x", record: $r }) { output error { message position in } } }`, { r: record });
    expect(bad.previewMapping.output).toBeNull();
    expect(bad.previewMapping.error).toMatchObject({ in: 'mapping', position: expect.any(Number) });
  });

  it('shares a template across clients: an operator publishes it, another tenant creates its own sync from it', async () => {
    const shared = await gqlOk(stack.graphqlUrl, stack.operatorToken, `mutation($i: CreateSyncTemplateInput!) { createSyncTemplate(input: $i) { id shared parameters { name } } }`, { i: {
      name: 'BlueConic profile → Copernica interests', description: 'Scenario 1 for any club',
      parameters: [{ name: 'database', description: 'Copernica database id' }, { name: 'interestProperty', description: 'BlueConic property with interests', default: 'interests' }],
      trigger: { kind: 'NOTIFY' }, source: { connector: 'blueconic', operation: 'getProfile' },
      mapping: `{ "fields": { "email": record.properties[id = "email"].values[0] }, "interests": [record.properties[id = "{{interestProperty}}"].values] }`,
      target: { connector: 'copernica', operation: 'upsertProfile', params: { databaseId: '{{database}}' } },
    } });
    expect(shared.createSyncTemplate.shared).toBe(true);

    const club = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Second Club');
    const cred = async (input: object) => (await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, { i: input })).createCredential.id;
    const source = await cred({ name: 'bc', oauth2ClientCredentials: stack.accounts.blueconicClient });
    const target = await cred({ name: 'cp', apiKey: { key: stack.accounts.copernicaToken } });
    const listed = await gqlOk(stack.graphqlUrl, club.token, `{ syncTemplates { edges { node { id name } } } }`);
    expect(listed.syncTemplates.edges.map((e: any) => e.node.id)).toContain(shared.createSyncTemplate.id);
    const missing = await gql(stack.graphqlUrl, club.token, `mutation($i: CreateSyncFromTemplateInput!) { createSyncFromTemplate(input: $i) { id } }`, { i: {
      templateId: shared.createSyncTemplate.id, projectId: club.projectId, name: 'x', sourceCredentialId: source, targetCredentialId: target, sourceBaseUrl: stack.blueconic.url, targetBaseUrl: stack.copernica.url,
    } });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.parameters.database' });
    const made = await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateSyncFromTemplateInput!) { createSyncFromTemplate(input: $i) { id versions { mapping target { params } } } }`, { i: {
      templateId: shared.createSyncTemplate.id, projectId: club.projectId, name: 'From template', parameters: { database: '1', interestProperty: 'hobbies' },
      sourceCredentialId: source, targetCredentialId: target, sourceBaseUrl: stack.blueconic.url, targetBaseUrl: stack.copernica.url,
    } });
    expect(made.createSyncFromTemplate.versions[0].mapping).toContain('id = "hobbies"');
    expect(made.createSyncFromTemplate.versions[0].target.params).toMatchObject({ databaseId: '1' });

    const privateOne = await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateSyncTemplateInput!) { createSyncTemplate(input: $i) { id shared } }`, { i: {
      name: 'mine', trigger: { kind: 'PUSH' }, mapping: '{"fields": {"email": record.email}}', target: { connector: 'copernica', operation: 'upsertProfile', params: { databaseId: '1' } },
    } });
    expect(privateOne.createSyncTemplate.shared).toBe(false);
    const foreign = await gql(stack.graphqlUrl, club.token, `query($id: ID!) { syncTemplate(id: $id) { id } }`, { id: privateOne.createSyncTemplate.id });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('rotates a credential in place and tests it against the platform', async () => {
    const creds = await gqlOk(stack.graphqlUrl, token, `{ credentials(first: 50) { edges { node { id kind name fingerprint } } } }`);
    const bc = creds.credentials.edges.map((e: any) => e.node).find((c: any) => c.kind === 'OAUTH2_CLIENT_CREDENTIALS');
    const tested = await gqlOk(stack.graphqlUrl, token, `mutation($i: TestCredentialInput!) { testCredential(input: $i) { status lastTest { ok status message } } }`,
      { i: { credentialId: bc.id, connector: 'blueconic', baseUrl: stack.blueconic.url } });
    expect(tested.testCredential).toMatchObject({ status: 'ACTIVE', lastTest: { ok: true, status: 200 } });

    const wrongKind = await gql(stack.graphqlUrl, token, `mutation($id: ID!) { rotateCredential(id: $id, secret: { bearer: { token: "x" } }) { id } }`, { id: bc.id });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secret' });
    const rotated = await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { rotateCredential(id: $id, secret: { oauth2ClientCredentials: { clientId: "hub-client", clientSecret: "wrong-secret" } }) { id fingerprint rotatedAt } }`, { id: bc.id });
    expect(rotated.rotateCredential.id).toBe(bc.id);
    expect(rotated.rotateCredential.fingerprint).not.toBe(bc.fingerprint);
    const failing = await gqlOk(stack.graphqlUrl, token, `mutation($i: TestCredentialInput!) { testCredential(input: $i) { lastTest { ok message } } }`,
      { i: { credentialId: bc.id, connector: 'blueconic', baseUrl: stack.blueconic.url } });
    expect(failing.testCredential.lastTest.ok).toBe(false);
    const audit = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { auditLog(operation: "rotateCredential", targetId: $id) { edges { node { before after } } } }`, { id: bc.id });
    expect(audit.auditLog.edges[0].node.before.fingerprint).toBe(bc.fingerprint);
    expect(JSON.stringify(audit)).not.toContain('wrong-secret');
  });

  it('inherits tenant and project defaults, with params merged, and filters lists as an admin screen needs', async () => {
    const club = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Defaults Club');
    const cred = async (input: object) => (await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, { i: input })).createCredential.id;
    const source = await cred({ name: 'bc', oauth2ClientCredentials: stack.accounts.blueconicClient });
    const target = await cred({ name: 'cp', apiKey: { key: stack.accounts.copernicaToken } });
    await gqlOk(stack.graphqlUrl, club.token, `mutation($d: SyncDefaultsInput!) { setTenantDefaults(defaults: $d) { defaults { trigger { kind } } } }`, { d: {
      trigger: { kind: 'NOTIFY', idParam: 'profileId' },
      source: { connector: 'blueconic', operation: 'getProfile', credentialId: source, baseUrl: stack.blueconic.url },
    } });
    await gqlOk(stack.graphqlUrl, club.token, `mutation($p: ID!, $d: SyncDefaultsInput!) { setProjectDefaults(projectId: $p, defaults: $d) { defaults { target { connector params } } } }`, { p: club.projectId, d: {
      target: { connector: 'copernica', operation: 'upsertProfile', credentialId: target, baseUrl: stack.copernica.url, params: { databaseId: '1' } },
    } });
    const made = await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id versions { trigger { kind idParam } source { connector } target { connector params } } } }`, { i: {
      projectId: club.projectId, name: 'Only a mapping', mapping: PROFILE_INTERESTS_MAPPING,
      target: { connector: 'copernica', operation: 'upsertProfile', credentialId: target, baseUrl: stack.copernica.url, params: { matchField: 'email' } },
    } });
    expect(made.createSync.versions[0]).toEqual({
      trigger: { kind: 'NOTIFY', idParam: 'profileId' }, source: { connector: 'blueconic' },
      target: { connector: 'copernica', params: { databaseId: '1', matchField: 'email' } },
    });
    const badDefault = await gql(stack.graphqlUrl, club.token, `mutation($d: SyncDefaultsInput!) { setTenantDefaults(defaults: $d) { id } }`, { d: { target: { connector: 'copernica', operation: 'getProfile', credentialId: target, baseUrl: stack.copernica.url } } });
    expect(badDefault.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'defaults.target.operation' });

    await gqlOk(stack.graphqlUrl, club.token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { id } }`, { id: made.createSync.id });
    await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: { projectId: club.projectId, name: 'Second, inactive', mapping: 'record' } });
    const list = async (args: string) => (await gqlOk(stack.graphqlUrl, club.token, `{ syncs(${args}) { edges { node { name } } } }`)).syncs.edges.map((e: any) => e.node.name);
    expect(await list('active: true')).toEqual(['Only a mapping']);
    expect(await list('nameContains: "SECOND"')).toEqual(['Second, inactive']);
    expect(await list('orderBy: CREATED_AT_DESC')).toEqual(['Second, inactive', 'Only a mapping']);
    const creds = await gqlOk(stack.graphqlUrl, club.token, `{ credentials(kind: API_KEY) { edges { node { name } } } }`);
    expect(creds.credentials.edges.map((e: any) => e.node.name)).toEqual(['cp']);
    const tenants = await gqlOk(stack.graphqlUrl, stack.operatorToken, `{ tenants(first: 100) { totalCount edges { node { name } } } }`);
    expect(tenants.tenants.edges.map((e: any) => e.node.name)).toContain('Defaults Club');
  });

  it('puts a rotated secret to use in running workers at once, without a restart', async () => {
    const club = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Rotation Club');
    const cred = async (input: object) => (await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, { i: input })).createCredential.id;
    const source = await cred({ name: 'bc', oauth2ClientCredentials: stack.accounts.blueconicClient });
    const target = await cred({ name: 'cp', apiKey: { key: 'an-old-revoked-token' } });
    const s = await gqlOk(stack.graphqlUrl, club.token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: {
      projectId: club.projectId, name: 'rotating', trigger: { kind: 'NOTIFY' }, mapping: PROFILE_INTERESTS_MAPPING,
      source: { connector: 'blueconic', operation: 'getProfile', credentialId: source, baseUrl: stack.blueconic.url },
      target: { connector: 'copernica', operation: 'upsertProfile', credentialId: target, baseUrl: stack.copernica.url, params: { databaseId: '1' } },
    } });
    await gqlOk(stack.graphqlUrl, club.token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { id } }`, { id: s.createSync.id });
    const url = (await gqlOk(stack.graphqlUrl, club.token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id }) { url } }`, { id: s.createSync.id })).createInboundKey.url;
    stack.blueconic.upsertProfile({ id: 'rot-1', properties: { email: ['rot1@example.com'], interests: ['x'] } });
    stack.blueconic.upsertProfile({ id: 'rot-2', properties: { email: ['rot2@example.com'], interests: ['x'] } });

    await fetch(`${url}?id=rot-1`);
    await eventually(async () => (await gqlOk(stack.graphqlUrl, club.token, `query($id: ID!) { sync(id: $id) { deadLetters { totalCount } } }`, { id: s.createSync.id })).sync.deadLetters.totalCount === 1);
    await gqlOk(stack.graphqlUrl, club.token, `mutation($id: ID!) { rotateCredential(id: $id, secret: { apiKey: { key: "${stack.accounts.copernicaToken}" } }) { rotatedAt } }`, { id: target });
    await fetch(`${url}?id=rot-2`);
    await eventually(() => byEmail('rot2@example.com'));
  });

  it('checks JWT keys before storing them and lists the connector catalog', async () => {
    const bad = await gql(stack.graphqlUrl, token, `mutation { createCredential(input: { name: "j", jwt: { algorithm: RS256, signingKey: "not a key" } }) { id } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.jwt.signingKey' });
    const ok = await gqlOk(stack.graphqlUrl, token, `mutation { createCredential(input: { name: "j", jwt: { algorithm: HS256, signingKey: "0123456789abcdef0123456789abcdef", claims: { iss: "hub" } } }) { kind } }`);
    expect(ok.createCredential.kind).toBe('JWT');
    const cat = await gqlOk(stack.graphqlUrl, token, `{ connectors { id auth operations { name kind } params { name required } } }`);
    expect(cat.connectors.find((c: any) => c.id === 'copernica').operations.map((o: any) => o.name)).toContain('upsertProfile');
  });

  it('reports the compatibility of every pair of connectors in the catalog, and names an unknown one', async () => {
    const ids = (await gqlOk(stack.graphqlUrl, token, `{ connectors { id } }`)).connectors.map((c: { id: string }) => c.id);
    const q = `query($s: String!, $t: String!) { compatibility(source: $s, target: $t) { source target compatible triggers { kind available operations }
      targetOperations { name calls } fields { sourceField targetField basis } unmatchedTargetFields sourceAuth { kind } targetAuth { kind detail } formats { side what } needs } }`;
    for (const s of ids) {
      for (const t of ids) {
        const r = (await gqlOk(stack.graphqlUrl, token, q, { s, t })).compatibility;
        expect({ s, t, compatible: r.compatible }).toEqual({ s: r.source, t: r.target, compatible: r.targetOperations.length > 0 });
        expect(r.needs.length).toBeGreaterThan(0);
      }
    }
    const pair = (await gqlOk(stack.graphqlUrl, token, q, { s: 'blueconic', t: 'copernica' })).compatibility;
    expect(pair.triggers.find((x: { kind: string }) => x.kind === 'notify')).toEqual({ kind: 'notify', available: true, operations: ['getProfile'] });
    expect(pair.sourceAuth.map((a: { kind: string }) => a.kind)).toContain('oauth2_client_credentials');
    const unknown = await gql(stack.graphqlUrl, token, q, { s: 'blueconic', t: 'mailchump' });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'target' });
    expect(unknown.errors?.[0]?.message).toMatch(/known: .*copernica/);
  });
});
