import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/** Renaming, archiving and deleting syncs, credentials, projects and templates; each change audited with before and after. */
describe('sync lifecycle: rename, archive, delete', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack();
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Lifecycle Club');
    token = tenant.token;
    projectId = tenant.projectId;
    sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
  });
  afterAll(() => stack?.stop());

  const q = (query: string, variables: Record<string, unknown> = {}, t = token) => gql(stack.graphqlUrl, t, query, variables);
  const ok = (query: string, variables: Record<string, unknown> = {}, t = token) => gqlOk(stack.graphqlUrl, t, query, variables);
  const lastAudit = async (operation: string) => (await ok(`query($op: String!) { auditLog(operation: $op, first: 1) { edges { node { outcome targetType targetId before after } } } }`, { op: operation })).auditLog.edges[0]?.node;
  const credentialsOf = async (syncId: string) => (await ok(`query($id: ID!) { sync(id: $id) { versions { source { credentialId } target { credentialId } } } }`, { id: syncId })).sync.versions[0];

  it('renames and describes a sync, with the old and new values in the audit log', async () => {
    const r = await ok(`mutation($i: UpdateSyncInput!) { updateSync(input: $i) { name description } }`, { i: { id: sync.syncId, name: 'Interests (EU)', description: 'Newsletter interests for the EU shop' } });
    expect(r.updateSync).toEqual({ name: 'Interests (EU)', description: 'Newsletter interests for the EU shop' });
    const audit = await lastAudit('updateSync');
    expect(audit).toMatchObject({ outcome: 'ok', targetType: 'Sync', targetId: sync.syncId });
    expect(audit.before).toMatchObject({ name: 'BlueConic → Copernica: profile interests', description: '' });
    expect(audit.after).toMatchObject({ name: 'Interests (EU)', description: 'Newsletter interests for the EU shop' });
    const bad = await q(`mutation($i: UpdateSyncInput!) { updateSync(input: $i) { name } }`, { i: { id: sync.syncId, name: '  ' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('refuses to delete a credential an active version uses, naming the sync, and renames it with an audit trail', async () => {
    const { target } = await credentialsOf(sync.syncId);
    const refused = await q(`mutation($id: ID!) { deleteCredential(id: $id) { id } }`, { id: target.credentialId });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', usedBy: ['Interests (EU)'] });
    expect((await ok(`query($id: ID!) { credential(id: $id) { id } }`, { id: target.credentialId })).credential.id).toBe(target.credentialId);
    await ok(`mutation($i: RenameInput!) { renameCredential(input: $i) { name } }`, { i: { id: target.credentialId, name: 'Copernica (prod)' } });
    const audit = await lastAudit('renameCredential');
    expect(audit.before.name).toBe('Copernica REST v3 token');
    expect(audit.after.name).toBe('Copernica (prod)');
    expect(JSON.stringify(audit)).not.toContain(stack.accounts.copernicaToken);
  });

  it('archives a sync: webhooks refused at once, left out of lists, not resumable, deletable only then; deleting removes it and its keys', async () => {
    expect((await fetch(`${sync.inboundUrl}?id=nobody`)).status).toBe(202);
    const unarchivedDelete = await q(`mutation($id: ID!) { deleteSync(id: $id) { id } }`, { id: sync.syncId });
    expect(unarchivedDelete.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(unarchivedDelete.errors?.[0]?.message).toMatch(/archiveSync first/);

    const archived = (await ok(`mutation($id: ID!) { archiveSync(id: $id) { archivedAt pausedAt } }`, { id: sync.syncId })).archiveSync;
    expect(archived.archivedAt).toEqual(expect.any(String));
    expect(archived.pausedAt).toEqual(expect.any(String));
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=nobody`)).status === 409, 1_000, 20);
    const lists = await ok(`{ live: syncs { edges { node { id } } } archived: syncs(archived: true) { edges { node { id } } } }`);
    expect(lists.live.edges).toEqual([]);
    expect(lists.archived.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sync.syncId]);
    expect((await q(`mutation($id: ID!) { resumeSync(id: $id) { id } }`, { id: sync.syncId })).errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const back = (await ok(`mutation($id: ID!) { unarchiveSync(id: $id) { archivedAt pausedAt } }`, { id: sync.syncId })).unarchiveSync;
    expect(back).toEqual({ archivedAt: null, pausedAt: archived.pausedAt });
    await ok(`mutation($id: ID!) { archiveSync(id: $id) { id } }`, { id: sync.syncId });

    const deleted = await ok(`mutation($id: ID!) { deleteSync(id: $id) { id } }`, { id: sync.syncId });
    expect(deleted.deleteSync.id).toBe(sync.syncId);
    expect((await q(`query($id: ID!) { sync(id: $id) { id } }`, { id: sync.syncId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await eventually(async () => (await fetch(`${sync.inboundUrl}?id=nobody`)).status === 401, 2_000, 50);
    const audit = await lastAudit('deleteSync');
    expect(audit).toMatchObject({ outcome: 'ok', targetType: 'Sync', targetId: sync.syncId, after: null });
    expect(audit.before).toMatchObject({ name: 'Interests (EU)', archivedAt: expect.any(String) });
  });

  it('deletes a credential once nothing active uses it', async () => {
    const other = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    const { target } = await credentialsOf(other.syncId);
    expect((await q(`mutation($id: ID!) { deleteCredential(id: $id) { id } }`, { id: target.credentialId })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await ok(`mutation($id: ID!) { archiveSync(id: $id) { id } }`, { id: other.syncId });
    await ok(`mutation($id: ID!) { deleteSync(id: $id) { id } }`, { id: other.syncId });
    expect((await ok(`mutation($id: ID!) { deleteCredential(id: $id) { id } }`, { id: target.credentialId })).deleteCredential.id).toBe(target.credentialId);
    expect((await q(`query($id: ID!) { credential(id: $id) { id } }`, { id: target.credentialId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await lastAudit('deleteCredential')).before).toMatchObject({ id: target.credentialId, name: 'Copernica REST v3 token' });
  });

  it('renames projects and deletes an empty one, never one holding syncs nor the last one', async () => {
    const extra = (await ok(`mutation { createProject(input: { name: "Spare" }) { id } }`)).createProject.id;
    await ok(`mutation($i: RenameInput!) { renameProject(input: $i) { name } }`, { i: { id: extra, name: 'Spare room' } });
    expect((await lastAudit('renameProject'))).toMatchObject({ before: { name: 'Spare' }, after: { name: 'Spare room' } });
    const held = await setupScenario1(stack.graphqlUrl, token, extra, stack.accounts);
    const refused = await q(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: extra });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/holds 1 sync/);
    await ok(`mutation($id: ID!) { archiveSync(id: $id) { id } }`, { id: held.syncId });
    await ok(`mutation($id: ID!) { deleteSync(id: $id) { id } }`, { id: held.syncId });
    expect((await ok(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: extra })).deleteProject.id).toBe(extra);
    const last = await q(`mutation($id: ID!) { deleteProject(id: $id) { id } }`, { id: projectId });
    expect(last.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(last.errors?.[0]?.message).toMatch(/at least one project/);
  });

  it("changes and deletes the tenant's own templates; shared ones only with an operator token", async () => {
    const tpl = `mutation($n: String!) { createSyncTemplate(input: { name: $n, trigger: { kind: PUSH }, mapping: "record", target: { connector: "copernica", operation: "upsertProfile", params: { databaseId: "1" } } }) { id } }`;
    const own = (await ok(tpl, { n: 'mine' })).createSyncTemplate.id;
    const shared = (await ok(tpl, { n: 'shared' }, stack.operatorToken)).createSyncTemplate.id;
    const updated = await ok(`mutation($i: UpdateSyncTemplateInput!) { updateSyncTemplate(input: $i) { name description } }`, { i: { id: own, name: 'mine v2', description: 'for shops' } });
    expect(updated.updateSyncTemplate).toEqual({ name: 'mine v2', description: 'for shops' });
    expect(await lastAudit('updateSyncTemplate')).toMatchObject({ before: { name: 'mine' }, after: { name: 'mine v2' } });
    expect((await q(`mutation($id: ID!) { deleteSyncTemplate(id: $id) { id } }`, { id: shared })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ok(`mutation($id: ID!) { deleteSyncTemplate(id: $id) { id } }`, { id: own })).deleteSyncTemplate.id).toBe(own);
    expect((await ok(`mutation($id: ID!) { deleteSyncTemplate(id: $id) { id } }`, { id: shared }, stack.operatorToken)).deleteSyncTemplate.id).toBe(shared);
    const left = await ok(`{ syncTemplates { edges { node { id } } } }`);
    expect(left.syncTemplates.edges.map((e: { node: { id: string } }) => e.node.id)).not.toEqual(expect.arrayContaining([own]));
    expect(left.syncTemplates.edges.map((e: { node: { id: string } }) => e.node.id)).not.toEqual(expect.arrayContaining([shared]));
  });

  it('audits version, key and signature changes with the object before and after', async () => {
    const s = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    const v = (await ok(`query($id: ID!) { sync(id: $id) { versions { source { connector operation credentialId baseUrl } target { connector operation credentialId baseUrl params } } inboundKeys { edges { node { id } } } } }`, { id: s.syncId })).sync;
    const def = (mapping: string) => ({ trigger: { kind: 'NOTIFY', idParam: 'id' }, source: v.versions[0].source, target: v.versions[0].target, mapping });
    const save = (mapping: string) => ok(`mutation($id: ID!, $d: SyncDefinitionInput!) { saveSyncDraft(syncId: $id, definition: $d) { version } }`, { id: s.syncId, d: def(mapping) });
    await save('{ "fields": { "email": "a" } }');
    expect(await lastAudit('saveSyncDraft')).toMatchObject({ before: null, after: { version: 2, mapping: '{ "fields": { "email": "a" } }' } });
    await save('{ "fields": { "email": "b" } }');
    expect(await lastAudit('saveSyncDraft')).toMatchObject({ before: { version: 2, mapping: '{ "fields": { "email": "a" } }' }, after: { version: 2, mapping: '{ "fields": { "email": "b" } }' } });
    await ok(`mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 2) { activeVersion } }`, { id: s.syncId });
    expect(await lastAudit('activateSyncVersion')).toMatchObject({ targetId: s.syncId, before: { activeVersion: 1 }, after: { activeVersion: 2 } });
    const keyId = v.inboundKeys.edges[0].node.id;
    await ok(`mutation($id: ID!) { revokeInboundKey(id: $id) { id } }`, { id: keyId });
    expect(await lastAudit('revokeInboundKey')).toMatchObject({ targetId: keyId, before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
    await ok(`mutation($id: ID!) { setInboundSignature(input: { syncId: $id, scheme: GITHUB }) { id } }`, { id: s.syncId });
    expect(await lastAudit('setInboundSignature')).toMatchObject({ before: { signature: null }, after: { signature: { scheme: 'github' } } });
    await ok(`mutation($id: ID!) { disableInboundSignature(syncId: $id) { id } }`, { id: s.syncId });
    expect(await lastAudit('disableInboundSignature')).toMatchObject({ before: { signature: { scheme: 'github' } }, after: { signature: null } });
  });
});
