import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { ACTIVECAMPAIGN_TOKEN, COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/**
 * Central trigger management where the origin has a webhooks API (ActiveCampaign): installTrigger
 * registers the hub's inbound URL there, a contact change reaches Copernica through it, and
 * revoking its key or archiving the sync removes the registration.
 */
describe('installTrigger at ActiveCampaign', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ activecampaignRateLimitPerSec: 1_000 });
  });
  afterAll(() => stack?.stop());

  async function acToCopernicaSync(token: string, projectId: string, idParam = 'contact[id]'): Promise<string> {
    const a = stack.accounts;
    const cred = async (name: string, key: string) => (await gqlOk(stack.graphqlUrl, token, `mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id } }`,
      { input: { name, apiKey: { key } } })).createCredential.id as string;
    const created = await gqlOk(stack.graphqlUrl, token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id } }`, { input: {
      projectId, name: 'ActiveCampaign → Copernica: contacts',
      trigger: { kind: 'NOTIFY', idParam },
      source: { connector: 'activecampaign', operation: 'getContact', credentialId: await cred('AC key', ACTIVECAMPAIGN_TOKEN), baseUrl: a.activecampaignUrl },
      mapping: '{ "fields": { "email": record.contact.email, "firstname": record.contact.firstName, "lastname": record.contact.lastName } }',
      target: { connector: 'copernica', operation: 'upsertProfile', credentialId: await cred('Copernica token', a.copernicaToken), baseUrl: a.copernicaUrl, params: { databaseId: a.copernicaDatabaseId, matchField: 'email' } },
    } });
    const syncId = created.createSync.id as string;
    await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: syncId });
    return syncId;
  }

  const INSTALL = `mutation($id: ID!) { installTrigger(syncId: $id) { syncId connector remoteId url inboundKeyId } }`;

  it('registers the hub at the origin, a contact change reaches the target, and revoking the key removes the registration', async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'TriggerInstall');
    const syncId = await acToCopernicaSync(t.token, t.projectId);
    const res = await fetch(`${stack.activecampaign.url}/contacts`, {
      method: 'POST', headers: { 'Api-Token': ACTIVECAMPAIGN_TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ contact: { email: 'hooked@example.com', firstName: 'Before', lastName: 'Hook' } }),
    });
    expect(res.status).toBe(201);
    expect(stack.activecampaign.webhookCalls()).toEqual([]); // nothing registered yet: no call

    const { installTrigger: installed } = await gqlOk(stack.graphqlUrl, t.token, INSTALL, { id: syncId });
    expect(installed).toMatchObject({ syncId, connector: 'activecampaign', url: expect.stringMatching(new RegExp(`^${stack.env.HUB_PUBLIC_URL}/hooks/.+…$`)) });
    const [hook] = stack.activecampaign.webhooks();
    expect(stack.activecampaign.webhooks()).toHaveLength(1);
    expect(hook!.id).toBe(installed.remoteId);
    expect(hook!.url.startsWith(`${stack.env.HUB_PUBLIC_URL}/hooks/`)).toBe(true);
    expect(hook!.url).not.toBe(installed.url); // the registered URL carries the key; the answer masks it
    expect(hook!.spec.events).toEqual(['subscribe', 'update']);
    // Idempotent: a second call answers the same trigger, no second registration.
    expect((await gqlOk(stack.graphqlUrl, t.token, INSTALL, { id: syncId })).installTrigger.remoteId).toBe(installed.remoteId);
    expect(stack.activecampaign.webhooks()).toHaveLength(1);

    // A user changes the contact in ActiveCampaign: AC calls the hub, the hub reads it and upserts in Copernica.
    stack.activecampaign.changeContact('hooked@example.com', { firstName: 'After' });
    const [profile] = await eventually(() => {
      const found = stack.copernica.profiles(COPERNICA_DB.id).filter((p) => p.fields.email === 'hooked@example.com');
      return found.length > 0 && found;
    });
    expect(profile!.fields).toMatchObject({ firstname: 'After', lastname: 'Hook' });
    expect(stack.activecampaign.webhookCalls()[0]).toMatchObject({ status: 202 });

    // Revoking the key the trigger calls with removes the registration at the origin.
    await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { revokeInboundKey(id: $id) { id revokedAt } }`, { id: installed.inboundKeyId });
    expect(stack.activecampaign.webhooks()).toEqual([]);

    // Installed again, then the sync archived: removed again.
    await gqlOk(stack.graphqlUrl, t.token, INSTALL, { id: syncId });
    expect(stack.activecampaign.webhooks()).toHaveLength(1);
    await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { archiveSync(id: $id) { archivedAt } }`, { id: syncId });
    expect(stack.activecampaign.webhooks()).toEqual([]);
  });

  it('uninstallTrigger removes it; an origin without a webhooks API answers TRIGGER_MANUAL pointing to triggerSetup', async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'TriggerManual');
    const syncId = await acToCopernicaSync(t.token, t.projectId);
    await gqlOk(stack.graphqlUrl, t.token, INSTALL, { id: syncId });
    expect(stack.activecampaign.webhooks()).toHaveLength(1);
    const { uninstallTrigger } = await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { uninstallTrigger(syncId: $id) { remoteId } }`, { id: syncId });
    expect(uninstallTrigger.remoteId).toBeTruthy();
    expect(stack.activecampaign.webhooks()).toEqual([]);

    // A sync that reads the id from elsewhere would be called in vain: refused with what to change.
    const wrongId = await acToCopernicaSync(t.token, t.projectId, 'id');
    const mismatch = await gql(stack.graphqlUrl, t.token, INSTALL, { id: wrongId });
    expect(mismatch.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'syncId' });
    expect(mismatch.errors?.[0]?.message).toContain('idParam: "contact[id]"');
    expect(stack.activecampaign.webhooks()).toEqual([]);

    const bc = await setupScenario1(stack.graphqlUrl, t.token, t.projectId, stack.accounts);
    const r = await gql(stack.graphqlUrl, t.token, INSTALL, { id: bc.syncId });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'TRIGGER_MANUAL', see: 'Sync.triggerSetup' });
    expect(r.errors?.[0]?.message).toMatch(/blueconic.*triggerSetup/);
  });

  it('registers at Copernica (POST /v3/webhooks, id from X-Created): a profile change reaches ActiveCampaign; uninstall removes it', async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'TriggerCopernica');
    const a = stack.accounts;
    const cred = async (name: string, key: string) => (await gqlOk(stack.graphqlUrl, t.token, `mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id } }`,
      { input: { name, apiKey: { key } } })).createCredential.id as string;
    const created = await gqlOk(stack.graphqlUrl, t.token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id } }`, { input: {
      projectId: t.projectId, name: 'Copernica → ActiveCampaign: profiles',
      trigger: { kind: 'NOTIFY', idParam: 'profile' },
      source: { connector: 'copernica', operation: 'getProfile', credentialId: await cred('Copernica token', a.copernicaToken), baseUrl: a.copernicaUrl, params: { databaseId: a.copernicaDatabaseId } },
      mapping: '{ "contact": { "email": record.fields.email, "firstName": record.fields.firstname, "lastName": record.fields.lastname } }',
      target: { connector: 'activecampaign', operation: 'syncContact', credentialId: await cred('AC key', ACTIVECAMPAIGN_TOKEN), baseUrl: a.activecampaignUrl },
    } });
    const syncId = created.createSync.id as string;
    await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: syncId });
    const profile = stack.copernica.createProfile(COPERNICA_DB.id, { fields: { email: 'cp-origin@example.com', firstname: 'Old', lastname: 'Name' } });

    const { installTrigger: installed } = await gqlOk(stack.graphqlUrl, t.token, INSTALL, { id: syncId });
    expect(installed.connector).toBe('copernica');
    const hooks = stack.copernica.webhooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ id: installed.remoteId, spec: { trigger: 'update', database: COPERNICA_DB.id } });

    stack.copernica.changeProfile(profile.ID, { firstname: 'New' });
    const contact = await eventually(() => stack.activecampaign.contactByEmail('cp-origin@example.com'));
    expect(contact).toMatchObject({ firstName: 'New', lastName: 'Name' });

    await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { uninstallTrigger(syncId: $id) { remoteId } }`, { id: syncId });
    expect(stack.copernica.webhooks()).toEqual([]);
    // The key minted for it is revoked with it: a call with it is refused now.
    const keys = await gqlOk(stack.graphqlUrl, t.token, `query($id: ID!) { node(id: $id) { ... on InboundKey { revokedAt } } }`, { id: installed.inboundKeyId });
    expect(keys.node.revokedAt).toBeTruthy();
  });

  it('an origin refusing answers UPSTREAM_REFUSED and leaves nothing behind; archiving while it is down still archives and keeps the trigger to retry', async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'TriggerDown');
    const syncId = await acToCopernicaSync(t.token, t.projectId);
    stack.activecampaign.faults.add({ method: 'POST', pathPattern: '/webhooks$', status: 500, times: 1 });
    const refused = await gql(stack.graphqlUrl, t.token, INSTALL, { id: syncId });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_REFUSED', status: 500 });
    expect(stack.activecampaign.webhooks()).toEqual([]);
    const keys = `query($id: ID!) { sync(id: $id) { installedTrigger { remoteId } inboundKeys { edges { node { name revokedAt } } } } }`;
    const after = (await gqlOk(stack.graphqlUrl, t.token, keys, { id: syncId })).sync;
    expect(after.installedTrigger).toBeNull();
    expect(after.inboundKeys.edges.map((e: any) => e.node)).toEqual([{ name: 'trigger:activecampaign', revokedAt: expect.any(String) }]);

    const { installTrigger: installed } = await gqlOk(stack.graphqlUrl, t.token, INSTALL, { id: syncId });
    stack.activecampaign.faults.add({ method: 'DELETE', pathPattern: '/webhooks/', status: 503, times: 1 });
    await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { archiveSync(id: $id) { archivedAt } }`, { id: syncId });
    expect(stack.activecampaign.webhooks()).toHaveLength(1);
    expect((await gqlOk(stack.graphqlUrl, t.token, keys, { id: syncId })).sync.installedTrigger).toEqual({ remoteId: installed.remoteId });
    await gqlOk(stack.graphqlUrl, t.token, `mutation($id: ID!) { uninstallTrigger(syncId: $id) { remoteId } }`, { id: syncId });
    expect(stack.activecampaign.webhooks()).toEqual([]);
  });
});
