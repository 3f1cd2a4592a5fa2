import { Client } from 'pg';
import { gql, gqlOk, type GqlResult } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/**
 * Tenant isolation as a matrix: every query and mutation in the schema is run as tenant A against
 * tenant B's objects. Object access answers NOT_FOUND (never the object, never FORBIDDEN, which would
 * confirm it exists); lists never show B's objects. An operation added to the schema without a case
 * here fails the coverage test.
 */
type Ids = Record<string, string>;
type Check = (a: string, b: Ids, mine: Ids) => Promise<void>;

describe('tenant isolation matrix', () => {
  let stack: TestStack;
  let a: { tenantId: string; token: string; projectId: string };
  const b: Ids = {};
  const mine: Ids = {};

  const run = (token: string, q: string, v: Record<string, unknown> = {}) => gql(stack.graphqlUrl, token, q, v);
  const notFound = (r: GqlResult<any>) => {
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(r.data ?? {})).not.toMatch(new RegExp(Object.values(b).filter((x) => x.length > 8).join('|')));
  };
  const excludes = (r: GqlResult<any>) => {
    expect(r.errors).toBeUndefined();
    const text = JSON.stringify(r.data);
    for (const id of Object.values(b)) expect(text).not.toContain(id);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    a = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Tenant A');
    const tb = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Tenant B');
    b.token = tb.token;
    b.tenantId = tb.tenantId;
    b.projectId = tb.projectId;
    const s = await setupScenario1(stack.graphqlUrl, tb.token, tb.projectId, stack.accounts);
    b.syncId = s.syncId;
    const view = await gqlOk(stack.graphqlUrl, tb.token, `query($id: ID!) { sync(id: $id) { versions { id source { credentialId } target { credentialId } } inboundKeys { edges { node { id } } } } }`, { id: s.syncId });
    b.versionId = view.sync.versions[0].id;
    b.sourceCredentialId = view.sync.versions[0].source.credentialId;
    b.credentialId = view.sync.versions[0].target.credentialId;
    b.inboundKeyId = view.sync.inboundKeys.edges[0].node.id;
    const readToken = (await gqlOk(stack.graphqlUrl, tb.token, `mutation { createApiToken(input: { name: "b", scopes: [READ] }) { token apiToken { id } } }`)).createApiToken;
    b.apiTokenId = readToken.apiToken.id;
    b.readToken = readToken.token;
    b.templateId = (await gqlOk(stack.graphqlUrl, tb.token, `mutation { createSyncTemplate(input: { name: "b-private", trigger: { kind: PUSH }, mapping: "record", target: { connector: "copernica", operation: "upsertProfile", params: { databaseId: "1" } } }) { id } }`)).createSyncTemplate.id;
    await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { setInboundSignature(input: { syncId: $id, scheme: GITHUB }) { id } }`, { id: s.syncId });
    b.signatureSecretId = (await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { addInboundSignatureSecret(input: { syncId: $id }) { signatureSecret { id } } }`, { id: s.syncId }))
      .addInboundSignatureSecret.signatureSecret.id;
    await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { disableInboundSignature(syncId: $id) { id } }`, { id: s.syncId });
    b.targetId = await addTarget(tb.tenantId, b.credentialId);
    Object.assign(b, await addDeliveryRecords(tb.tenantId, s.syncId));
    b.sandboxRunId = (await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { runSandbox(syncId: $id, version: 1, input: { entityId: "p1" }) { id } }`, { id: s.syncId })).runSandbox.id;
    b.testCaseId = (await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { createSyncTestCase(input: { syncId: $id, name: "b", input: { entityId: "p1" }, expected: {} }) { id } }`, { id: s.syncId })).createSyncTestCase.id;
    Object.assign(b, await addDestination(tb.token, tb.tenantId));
    b.auditEntryId = (await gqlOk(stack.graphqlUrl, tb.token, `{ auditLog(first: 1) { edges { node { id } } } }`)).auditLog.edges[0].node.id;
    await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { configureBulkSync(syncId: $id, input: { listOperation: "listSegmentProfiles", params: { segmentId: "All Visitors" } }) { listOperation } }`, { id: s.syncId });
    b.bulkRunId = (await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { startBulkRun(syncId: $id) { id } }`, { id: s.syncId })).startBulkRun.id;
    b.accuracyAuditId = (await gqlOk(stack.graphqlUrl, tb.token, `mutation($id: ID!) { runAccuracyAudit(syncId: $id) { id } }`, { id: s.syncId })).runAccuracyAudit.id;
    const ma = await setupScenario1(stack.graphqlUrl, a.token, a.projectId, stack.accounts);
    mine.syncId = ma.syncId;
    mine.tenantId = a.tenantId;
    const va = await gqlOk(stack.graphqlUrl, a.token, `query($id: ID!) { sync(id: $id) { versions { source { credentialId } target { credentialId } } } }`, { id: ma.syncId });
    mine.credentialId = va.sync.versions[0].target.credentialId;
    mine.sourceCredentialId = va.sync.versions[0].source.credentialId;
    mine.targetId = await addTarget(a.tenantId, mine.credentialId);
    mine.templateId = (await gqlOk(stack.graphqlUrl, a.token, `mutation { createSyncTemplate(input: { name: "a", trigger: { kind: PUSH }, mapping: "record", target: { connector: "copernica", operation: "upsertProfile", params: { databaseId: "1" } } }) { id } }`)).createSyncTemplate.id;
  });
  afterAll(() => stack?.stop());

  /** Targets are written by the data plane: a circuit row for the tenant's credential, as a worker would leave it. */
  const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;
  async function addTarget(tenantGlobalId: string, credentialGlobalId: string): Promise<string> {
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const key = `api.copernica.com#${rawId(credentialGlobalId)}`;
      await db.query(`INSERT INTO target_circuits (target, tenant_id, host, credential_id, state, failures) VALUES ($1, $2, 'api.copernica.com', $3, 'open', 5)`,
        [key, rawId(tenantGlobalId), rawId(credentialGlobalId)]);
      await db.query(`INSERT INTO target_rate_buckets (target, tenant_id, host, credential_id, rate_per_sec, burst, tokens) VALUES ($1, $2, 'api.copernica.com', $3, 10, 10, 10)`,
        [key, rawId(tenantGlobalId), rawId(credentialGlobalId)]);
    } finally {
      await db.end();
    }
    return Buffer.from(`Target:api.copernica.com#${rawId(credentialGlobalId)}`).toString('base64url');
  }

  /** Delivery records are written by the worker: one attempt that gave up and its dead letter, as a worker would leave them. */
  async function addDeliveryRecords(tenantGlobalId: string, syncGlobalId: string): Promise<Ids> {
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const params = [rawId(tenantGlobalId), rawId(syncGlobalId)];
      const attempt = await db.query(`INSERT INTO delivery_attempts (event_id, tenant_id, sync_id, sync_version, attempt, outcome, duration_ms)
        VALUES (gen_random_uuid(), $1, $2, 1, 1, 'dead_lettered', 5) RETURNING id`, params);
      const dead = await db.query(`INSERT INTO dead_letters (event_id, tenant_id, sync_id, sync_version, reason, attempts, event)
        VALUES (gen_random_uuid(), $1, $2, 1, 'target answered 400', 1, '\\x00') RETURNING id`, params);
      const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
      return { deliveryAttemptId: globalId('DeliveryAttempt', String(attempt.rows[0].id)), deadLetterId: globalId('DeadLetter', dead.rows[0].id) };
    } finally {
      await db.end();
    }
  }

  /** A webhook destination with its secret, a batch the worker sent to it, and a business event type. */
  async function addDestination(token: string, tenantGlobalId: string): Promise<Ids> {
    const d = (await gqlOk(stack.graphqlUrl, token, `mutation($url: String!) { createDestination(input: { name: "b-dest", url: $url }) { destination { id secrets { id } } } }`,
      { url: `${stack.copernica.origin}/b-hook` })).createDestination.destination;
    const eventTypeId = (await gqlOk(stack.graphqlUrl, token, `mutation { declareEventType(input: { name: "b.private", schema: { type: "object" } }) { id } }`)).declareEventType.id;
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const batch = await db.query(`INSERT INTO destination_batches (id, tenant_id, destination_id, stream, resource_type, event_count, events, outcome, attempts, duration_ms)
        VALUES (gen_random_uuid(), $1, $2, 'business_event', 'b.private', 1, '[{}]', 'delivered', 1, 5) RETURNING id`, [rawId(tenantGlobalId), rawId(d.id)]);
      return { destinationId: d.id, destinationSecretId: d.secrets[0].id, eventTypeId, destinationDeliveryId: Buffer.from(`DestinationDelivery:${batch.rows[0].id}`).toString('base64url') };
    } finally {
      await db.end();
    }
  }

  /** Tenant B's object of every type that implements Node, by GraphQL type name. */
  const nodeIds = (ids: Ids): Ids => ({
    Tenant: ids.tenantId!, Project: ids.projectId!, ApiToken: ids.apiTokenId!, Credential: ids.credentialId!, Sync: ids.syncId!,
    SyncVersion: ids.versionId!, InboundKey: ids.inboundKeyId!, InboundSignatureSecret: ids.signatureSecretId!, SyncTemplate: ids.templateId!,
    Target: ids.targetId!, DeliveryAttempt: ids.deliveryAttemptId!, DeadLetter: ids.deadLetterId!, AuditEntry: ids.auditEntryId!,
    SandboxRun: ids.sandboxRunId!, SyncTestCase: ids.testCaseId!,
    BulkRun: ids.bulkRunId!, AccuracyAudit: ids.accuracyAuditId!,
    Destination: ids.destinationId!, DestinationSecret: ids.destinationSecretId!, DestinationDelivery: ids.destinationDeliveryId!, EventType: ids.eventTypeId!,
  });

  const endpoint = (credentialId: string, kind: 'source' | 'target') => kind === 'source'
    ? { connector: 'blueconic', operation: 'getProfile', credentialId, baseUrl: stack.blueconic.url }
    : { connector: 'copernica', operation: 'upsertProfile', credentialId, baseUrl: stack.copernica.url, params: { databaseId: '1' } };
  const definition = (src: string, tgt: string) => ({ trigger: { kind: 'NOTIFY' }, mapping: 'record', source: endpoint(src, 'source'), target: endpoint(tgt, 'target') });

  /** One entry per schema operation. `exempt` says why an operation cannot reach another tenant's objects. */
  const cases: Record<string, Check | { exempt: string }> = {
    node: async (t, ids, my) => {
      const implementing = (await gqlOk(stack.graphqlUrl, t, `{ __type(name: "Node") { possibleTypes { name } } }`)).__type.possibleTypes.map((p: { name: string }) => p.name);
      const theirs = nodeIds(ids);
      expect(Object.keys(theirs).sort()).toEqual([...implementing].sort());
      for (const [type, id] of Object.entries(theirs)) {
        expect({ type, id: typeof id }).toEqual({ type, id: 'string' });
        notFound(await run(t, `query($id: ID!) { node(id: $id) { id } }`, { id }));
      }
      // …while their owner finds every one of them (a type without a loader would be NOT_FOUND here too)…
      for (const [type, id] of Object.entries(theirs)) {
        expect({ type, found: (await gqlOk(stack.graphqlUrl, ids.token!, `query($id: ID!) { node(id: $id) { id } }`, { id })).node.id }).toEqual({ type, found: id });
      }
      // …and the same call finds the caller's own objects.
      for (const id of [my.templateId, my.syncId, my.credentialId, my.targetId, my.tenantId]) {
        expect((await gqlOk(stack.graphqlUrl, t, `query($id: ID!) { node(id: $id) { id } }`, { id })).node.id).toBe(id);
      }
    },
    viewer: async (t) => expect((await gqlOk(stack.graphqlUrl, t, `{ viewer { tenant { name } } }`)).viewer.tenant.name).toBe('Tenant A'),
    apiTokens: async (t) => excludes(await run(t, `{ apiTokens(first: 100) { edges { node { id } } } }`)),
    auditLog: async (t, ids) => {
      excludes(await run(t, `{ auditLog(first: 100) { edges { node { id targetId } } } }`));
      expect((await gqlOk(stack.graphqlUrl, t, `query($id: ID!) { auditLog(targetId: $id) { totalCount } }`, { id: ids.syncId })).auditLog.totalCount).toBe(0);
    },
    connectors: { exempt: 'the connector catalog is the same for everyone and holds no tenant data' },
    compatibility: { exempt: 'computed from the connector manifests, the same for everyone; holds no tenant data' },
    credentials: async (t) => excludes(await run(t, `{ credentials(first: 100) { edges { node { id } } } }`)),
    credential: async (t, ids) => notFound(await run(t, `query($id: ID!) { credential(id: $id) { id name } }`, { id: ids.credentialId })),
    syncs: async (t) => excludes(await run(t, `{ syncs(first: 100) { edges { node { id } } } }`)),
    sync: async (t, ids) => notFound(await run(t, `query($id: ID!) { sync(id: $id) { id name } }`, { id: ids.syncId })),
    previewMapping: { exempt: 'runs on the record the caller sends; reads no stored object' },
    diffSyncVersions: async (t, ids) => notFound(await run(t, `query($id: ID!) { diffSyncVersions(syncId: $id, from: 1, to: 1) { path } }`, { id: ids.syncId })),
    syncTemplates: async (t) => excludes(await run(t, `{ syncTemplates(first: 100) { edges { node { id } } } }`)),
    syncTemplate: async (t, ids) => notFound(await run(t, `query($id: ID!) { syncTemplate(id: $id) { id } }`, { id: ids.templateId })),
    createApiToken: { exempt: "creates in the caller's tenant; takes no object id" },
    revokeApiToken: async (t, ids) => {
      notFound(await run(t, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: ids.apiTokenId }));
      // The token whose revocation was attempted still works.
      expect(await gql(stack.graphqlUrl, ids.readToken!, `{ viewer { scopes } }`)).toMatchObject({ status: 200, data: { viewer: { scopes: ['read'] } } });
    },
    createCredential: { exempt: "creates in the caller's tenant; takes no object id" },
    rotateCredential: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { rotateCredential(id: $id, secret: { apiKey: { key: "stolen" } }) { id } }`, { id: ids.credentialId })),
    testCredential: async (t, ids) => notFound(await run(t, `mutation($i: TestCredentialInput!) { testCredential(input: $i) { id } }`, { i: { credentialId: ids.credentialId, connector: 'copernica', baseUrl: stack.copernica.url, params: { databaseId: '1' } } })),
    createInboundKey: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { createInboundKey(input: { syncId: $id }) { key } }`, { id: ids.syncId })),
    rotateInboundKey: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { rotateInboundKey(id: $id) { key } }`, { id: ids.inboundKeyId })),
    revokeInboundKey: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { revokeInboundKey(id: $id) { id } }`, { id: ids.inboundKeyId })),
    setInboundSignature: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { setInboundSignature(input: { syncId: $id, scheme: GITHUB }) { id } }`, { id: ids.syncId })),
    disableInboundSignature: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { disableInboundSignature(syncId: $id) { id } }`, { id: ids.syncId })),
    addInboundSignatureSecret: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { addInboundSignatureSecret(input: { syncId: $id }) { secret } }`, { id: ids.syncId })),
    createSync: async (t, ids, my) => {
      const call = (input: object) => run(t, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: input });
      notFound(await call({ projectId: ids.projectId, name: 'x', ...definition(my.sourceCredentialId!, my.credentialId!) }));
      notFound(await call({ projectId: a.projectId, name: 'x', ...definition(my.sourceCredentialId!, ids.credentialId!) }));
    },
    saveSyncDraft: async (t, ids, my) => {
      notFound(await run(t, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { id } }`, { id: ids.syncId, d: definition(my.sourceCredentialId!, my.credentialId!) }));
      notFound(await run(t, `mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { id } }`, { id: my.syncId, d: definition(ids.sourceCredentialId!, my.credentialId!) }));
    },
    pauseSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { pauseSync(id: $id) { id } }`, { id: ids.syncId })),
    resumeSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { resumeSync(id: $id) { id } }`, { id: ids.syncId })),
    replayDeadLetters: async (t, ids, my) => {
      notFound(await run(t, `mutation($id: ID!) { replayDeadLetters(syncId: $id) { id replayed } }`, { id: ids.syncId }));
      // B's dead letter named under A's own sync is no dead letter of that sync: nothing is sent, nothing about it is shown.
      const r = await gqlOk(stack.graphqlUrl, t, `mutation($id: ID!, $ids: [ID!]) { replayDeadLetters(syncId: $id, ids: $ids) { id eventId replayed } }`, { id: my.syncId, ids: [ids.deadLetterId] });
      expect(r.replayDeadLetters).toEqual([{ id: ids.deadLetterId, eventId: null, replayed: false }]);
    },
    runSandbox: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { runSandbox(syncId: $id, version: 1, input: { entityId: "p1" }) { id steps { output } } }`, { id: ids.syncId })),
    createSyncTestCase: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { createSyncTestCase(input: { syncId: $id, name: "x", input: { entityId: "p1" }, expected: {} }) { id } }`, { id: ids.syncId })),
    deleteSyncTestCase: async (t, ids) => {
      notFound(await run(t, `mutation($id: ID!) { deleteSyncTestCase(id: $id) { id } }`, { id: ids.testCaseId }));
      expect((await gqlOk(stack.graphqlUrl, ids.token!, `query($id: ID!) { node(id: $id) { id } }`, { id: ids.testCaseId })).node.id).toBe(ids.testCaseId);
    },
    setSyncSandboxTarget: async (t, ids, my) => {
      notFound(await run(t, `mutation($id: ID!) { setSyncSandboxTarget(syncId: $id, target: null) { id } }`, { id: ids.syncId }));
      notFound(await run(t, `mutation($id: ID!, $e: EndpointInput) { setSyncSandboxTarget(syncId: $id, target: $e) { id } }`, { id: my.syncId, e: endpoint(ids.credentialId!, 'target') }));
    },
    configureBulkSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { configureBulkSync(syncId: $id, input: { listOperation: "listSegmentProfiles", params: { segmentId: "x" } }) { listOperation } }`, { id: ids.syncId })),
    startBulkRun: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { startBulkRun(syncId: $id) { id } }`, { id: ids.syncId })),
    cancelBulkRun: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { cancelBulkRun(runId: $id) { id } }`, { id: ids.bulkRunId })),
    runAccuracyAudit: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { runAccuracyAudit(syncId: $id) { id } }`, { id: ids.syncId })),
    repairAuditMismatches: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { repairAuditMismatches(auditId: $id) { id } }`, { id: ids.accuracyAuditId })),
    updateSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { updateSync(input: { id: $id, name: "mine now" }) { id } }`, { id: ids.syncId })),
    installTrigger: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { installTrigger(syncId: $id) { remoteId } }`, { id: ids.syncId })),
    uninstallTrigger: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { uninstallTrigger(syncId: $id) { remoteId } }`, { id: ids.syncId })),
    archiveSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { archiveSync(id: $id) { id } }`, { id: ids.syncId })),
    unarchiveSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { unarchiveSync(id: $id) { id } }`, { id: ids.syncId })),
    deleteSync: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { deleteSync(id: $id) { id } }`, { id: ids.syncId })),
    renameCredential: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { renameCredential(input: { id: $id, name: "x" }) { id } }`, { id: ids.credentialId })),
    deleteCredential: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { deleteCredential(id: $id) { id } }`, { id: ids.sourceCredentialId })),
    renameProject: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { renameProject(input: { id: $id, name: "x" }) { id } }`, { id: ids.projectId })),
    deleteProject: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: ids.projectId })),
    updateSyncTemplate: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { updateSyncTemplate(input: { id: $id, name: "x" }) { id } }`, { id: ids.templateId })),
    deleteSyncTemplate: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { deleteSyncTemplate(id: $id) { id } }`, { id: ids.templateId })),
    activateSyncVersion: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { id } }`, { id: ids.syncId })),
    createSyncTemplate: { exempt: "creates in the caller's tenant; names connectors, not objects" },
    createSyncFromTemplate: async (t, ids, my) => {
      const call = (templateId: string, target: string) => run(t, `mutation($i: CreateSyncFromTemplateInput!) { createSyncFromTemplate(input: $i) { id } }`,
        { i: { templateId, projectId: a.projectId, name: 'x', targetCredentialId: target, targetBaseUrl: stack.copernica.url } });
      notFound(await call(ids.templateId!, my.credentialId!));
      notFound(await call(my.templateId!, ids.credentialId!));
    },
    createTenant: async (t) => expect((await run(t, `mutation { createTenant(input: { name: "x" }) { tenant { id } } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN'),
    createProject: { exempt: "creates in the caller's tenant; takes no object id" },
    setTenantDefaults: async (t, ids) => notFound(await run(t, `mutation($d: SyncDefaultsInput!) { setTenantDefaults(defaults: $d) { id } }`,
      { d: { target: endpoint(ids.credentialId!, 'target') } })),
    setProjectDefaults: async (t, ids) => {
      notFound(await run(t, `mutation($p: ID!) { setProjectDefaults(projectId: $p, defaults: {}) { id } }`, { p: ids.projectId }));
      notFound(await run(t, `mutation($p: ID!, $d: SyncDefaultsInput!) { setProjectDefaults(projectId: $p, defaults: $d) { id } }`, { p: a.projectId, d: { source: endpoint(ids.sourceCredentialId!, 'source') } }));
    },
    targets: async (t) => {
      excludes(await run(t, `{ targets(first: 100) { edges { node { id credential { id } } } } }`));
      excludes(await run(t, `{ targets(host: "api.copernica.com", state: OPEN) { edges { node { id } } } }`));
      // …while the caller's own target on the same host is listed.
      expect((await gqlOk(stack.graphqlUrl, t, `{ targets { edges { node { id } } } }`)).targets.edges.map((e: any) => e.node.id)).toEqual([mine.targetId]);
    },
    tenants: async (t) => expect((await run(t, `{ tenants { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN'),
    usage: async (t, ids) => {
      const window = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
      const q = `query($s: UsageScopeInput!, $from: DateTimeISO!, $to: DateTimeISO!) { usage(scope: $s, from: $from, to: $to) { totals { delivered } } }`;
      notFound(await run(t, q, { s: { syncId: ids.syncId }, ...window }));
      notFound(await run(t, q, { s: { projectId: ids.projectId }, ...window }));
      notFound(await run(t, q, { s: { tenantId: ids.tenantId }, ...window }));
      notFound(await run(t, q, { s: { targetId: ids.targetId }, ...window }));
      excludes(await run(t, `query($from: DateTimeISO!, $to: DateTimeISO!) { usage(scope: { tenant: true }, from: $from, to: $to) { topFailingSyncs { syncId } } }`, window));
    },
    usageSettings: async (t) => {
      // B keeps its log for 9 days (set in the setTenantLogSettings case's twin below); A sees its own value.
      await gqlOk(stack.graphqlUrl, b.token!, `mutation { setTenantLogSettings(retentionDays: 9) { logRetentionDays } }`);
      expect((await gqlOk(stack.graphqlUrl, t, `{ usageSettings { logRetentionDays } }`)).usageSettings.logRetentionDays).not.toBe(9);
    },
    deliveryLog: async (t, ids) => {
      excludes(await run(t, `{ deliveryLog(first: 100) { edges { node { eventId syncId } } } }`));
      const bySync = await run(t, `query($s: ID!) { deliveryLog(syncId: $s) { edges { node { eventId } } } }`, { s: ids.syncId });
      if (bySync.errors) notFound(bySync);
      else expect(bySync.data.deliveryLog.edges).toEqual([]);
    },
    setTenantQuota: async (t, ids) => expect((await run(t, `mutation($id: ID!) { setTenantQuota(tenantId: $id, monthlyEventQuota: 1) { monthlyEventQuota } }`, { id: ids.tenantId })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN'),
    setTenantLogSettings: async (t, ids) => {
      // Takes no id: it changes the caller's tenant only, never B's.
      const before = (await gqlOk(stack.graphqlUrl, ids.token!, `{ usageSettings { logRetentionDays sensitiveFields } }`)).usageSettings;
      await gqlOk(stack.graphqlUrl, t, `mutation { setTenantLogSettings(retentionDays: 3, sensitiveFields: ["isolationProbe"]) { logRetentionDays } }`);
      expect((await gqlOk(stack.graphqlUrl, ids.token!, `{ usageSettings { logRetentionDays sensitiveFields } }`)).usageSettings).toEqual(before);
    },
    setTenantEgressProxy: async (t, ids) => {
      // Takes no id: it changes the caller's tenant only, never B's.
      await gqlOk(stack.graphqlUrl, t, `mutation { setTenantEgressProxy(url: "http://127.0.0.1:3128") { id } }`);
      expect((await gqlOk(stack.graphqlUrl, ids.token!, `{ viewer { tenant { egressProxy } } }`)).viewer.tenant.egressProxy).toBeNull();
      await gqlOk(stack.graphqlUrl, t, `mutation { setTenantEgressProxy(url: null) { id } }`);
    },
    destinations: async (t) => excludes(await run(t, `{ destinations(first: 100) { edges { node { id secrets { id } deliveries { edges { node { id } } } } } } }`)),
    destination: async (t, ids) => notFound(await run(t, `query($id: ID!) { destination(id: $id) { id url } }`, { id: ids.destinationId })),
    createDestination: { exempt: "creates in the caller's tenant; takes no object id" },
    updateDestination: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { updateDestination(input: { id: $id, url: "https://evil.example/x" }) { id } }`, { id: ids.destinationId })),
    enableDestination: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { enableDestination(id: $id) { id } }`, { id: ids.destinationId })),
    disableDestination: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { disableDestination(id: $id) { id } }`, { id: ids.destinationId })),
    deleteDestination: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { deleteDestination(id: $id) { deletedId } }`, { id: ids.destinationId })),
    rotateDestinationSecret: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { rotateDestinationSecret(id: $id) { signingSecret } }`, { id: ids.destinationId })),
    sendTestWebhook: async (t, ids) => notFound(await run(t, `mutation($id: ID!) { sendTestWebhook(destinationId: $id) { ok } }`, { id: ids.destinationId })),
    eventTypes: async (t) => excludes(await run(t, `{ eventTypes(first: 100) { edges { node { id name } } } }`)),
    declareEventType: { exempt: "declares in the caller's tenant by name; another tenant's type of the same name is a different object" },
    publishBusinessEvent: async (t) => {
      // B's event type does not exist for A: refused, and nothing reaches B's destinations.
      const r = await run(t, `mutation { publishBusinessEvent(input: { type: "b.private", data: {} }) { eventId } }`);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.type' });
    },
  };

  it('has a case for every query and mutation in the schema', async () => {
    const s = await gqlOk(stack.graphqlUrl, a.token, `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`);
    const operations = [...s.__schema.queryType.fields, ...s.__schema.mutationType.fields].map((f: { name: string }) => f.name).sort();
    const missing = operations.filter((op: string) => !(op in cases));
    expect({ uncovered: missing }).toEqual({ uncovered: [] });
    expect(Object.keys(cases).filter((k) => !operations.includes(k))).toEqual([]);
  });

  it.each(Object.keys(cases))('%s cannot reach another tenant\'s objects', async (op) => {
    const c = cases[op]!;
    if (typeof c !== 'function') return expect(c.exempt.length).toBeGreaterThan(10);
    await c(a.token, b, mine);
  });

  it("leaves tenant B's objects as they were", async () => {
    const s = await gqlOk(stack.graphqlUrl, b.token!, `query($id: ID!) { sync(id: $id) { activeVersion versions { version } inboundKeys { edges { node { revokedAt expiresAt } } } } }`, { id: b.syncId });
    expect(s.sync.activeVersion).toBe(1);
    expect(s.sync.versions).toHaveLength(1);
    expect(s.sync.inboundKeys.edges.every((e: any) => !e.node.revokedAt && !e.node.expiresAt)).toBe(true);
    const run = await gqlOk(stack.graphqlUrl, b.token!, `query($id: ID!) { node(id: $id) { ... on BulkRun { state } } }`, { id: b.bulkRunId });
    expect(run.node).toEqual({ state: 'QUEUED' });
    const dead = await gqlOk(stack.graphqlUrl, b.token!, `query($id: ID!) { node(id: $id) { ... on DeadLetter { replayedAt } } }`, { id: b.deadLetterId });
    expect(dead.node).toEqual({ replayedAt: null });
    const d = await gqlOk(stack.graphqlUrl, b.token!, `query($id: ID!) { destination(id: $id) { url enabled secrets { id } } }`, { id: b.destinationId });
    expect(d.destination).toEqual({ url: `${stack.copernica.origin}/b-hook`, enabled: true, secrets: [{ id: b.destinationSecretId }] });
  });
});
