import { gqlOk } from './graphql.client';

/**
 * The brief's scenarios 1 and 3 set up the way a partner would: GraphQL calls only.
 * Used by the `npm start` demo seed and by the acceptance tests, so both exercise the same script.
 */
export interface PlatformAccounts {
  blueconicUrl: string;
  blueconicClient: { clientId: string; clientSecret: string };
  copernicaUrl: string;
  copernicaToken: string;
  copernicaOAuth1: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  copernicaDatabaseId: string;
  /** ActiveCampaign (scenario 2): the account's API base URL and key. */
  activecampaignUrl?: string;
  activecampaignToken?: string;
  /** BlueConic segment a scenario-2 bulk run lists ("All Visitors" holds every profile). */
  blueconicSegmentId?: string;
}

/** BlueConic profile → Copernica profile: the email to match on and the interests property. */
export const PROFILE_INTERESTS_MAPPING = `{
  "fields": {
    "email": record.properties[id = "email"].values[0],
    "firstname": record.properties[id = "firstname"].values[0]
  },
  "interests": [record.properties[id = "interests"].values]
}`;

export interface SyncSetup {
  syncId: string;
  inboundKey: string;
  inboundUrl: string;
}

export async function createTenant(graphqlUrl: string, operatorToken: string, name: string) {
  const d = await gqlOk(graphqlUrl, operatorToken, `mutation($name: String!) {
    createTenant(input: { name: $name }) { tenant { id name } defaultProject { id } apiToken { token } }
  }`, { name });
  return { tenantId: d.createTenant.tenant.id as string, projectId: d.createTenant.defaultProject.id as string, token: d.createTenant.apiToken.token as string };
}

async function createCredential(graphqlUrl: string, token: string, input: Record<string, unknown>): Promise<string> {
  const d = await gqlOk(graphqlUrl, token, `mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id kind fingerprint } }`, { input });
  return d.createCredential.id;
}

/** Creates the sync, activates version 1 and issues an inbound key. */
async function createActiveSync(graphqlUrl: string, token: string, input: Record<string, unknown>): Promise<SyncSetup> {
  const created = await gqlOk(graphqlUrl, token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id } }`, { input });
  const syncId = created.createSync.id as string;
  await gqlOk(graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { activeVersion } }`, { id: syncId });
  const key = await gqlOk(graphqlUrl, token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id, name: "BlueConic webhook connection" }) { key url } }`, { id: syncId });
  return { syncId, inboundKey: key.createInboundKey.key, inboundUrl: key.createInboundKey.url };
}

async function blueconicSource(graphqlUrl: string, token: string, a: PlatformAccounts) {
  const credentialId = await createCredential(graphqlUrl, token, {
    name: 'BlueConic API (client credentials)', oauth2ClientCredentials: a.blueconicClient,
  });
  return { connector: 'blueconic', operation: 'getProfile', credentialId, baseUrl: a.blueconicUrl };
}

/** Scenario 1: a BlueConic profile change updates that profile's interests in Copernica (created when missing). */
/** `extra` adds to the sync's input (e.g. a `delivery` policy). */
export async function setupScenario1(graphqlUrl: string, token: string, projectId: string, a: PlatformAccounts, extra: Record<string, unknown> = {}): Promise<SyncSetup> {
  const source = await blueconicSource(graphqlUrl, token, a);
  const targetCredential = await createCredential(graphqlUrl, token, { name: 'Copernica REST v3 token', apiKey: { key: a.copernicaToken } });
  return createActiveSync(graphqlUrl, token, {
    projectId, name: 'BlueConic → Copernica: profile interests',
    trigger: { kind: 'NOTIFY', idParam: 'id' }, source, mapping: PROFILE_INTERESTS_MAPPING,
    target: { connector: 'copernica', operation: 'upsertProfile', credentialId: targetCredential, baseUrl: a.copernicaUrl, params: { databaseId: a.copernicaDatabaseId, matchField: 'email' } },
    ...extra,
  });
}

/** Scenario 3: the same change, delivered with OAuth 1.0a through separate create and update endpoints. */
export async function setupScenario3(graphqlUrl: string, token: string, projectId: string, a: PlatformAccounts): Promise<SyncSetup> {
  const source = await blueconicSource(graphqlUrl, token, a);
  const targetCredential = await createCredential(graphqlUrl, token, {
    name: 'Copernica (OAuth 1.0a)', oauth1: { ...a.copernicaOAuth1, signatureMethod: 'HMAC_SHA1' },
  });
  return createActiveSync(graphqlUrl, token, {
    projectId, name: 'BlueConic → Copernica over OAuth 1.0a (create/update split)',
    trigger: { kind: 'NOTIFY', idParam: 'id' }, source, mapping: PROFILE_INTERESTS_MAPPING,
    target: { connector: 'copernica', operation: 'createOrUpdateProfile', credentialId: targetCredential, baseUrl: a.copernicaUrl, params: { databaseId: a.copernicaDatabaseId } },
  });
}

/** BlueConic profile → ActiveCampaign contact: email, names, and the interests as custom field 1 (comma-separated). */
export const CONTACT_INTERESTS_MAPPING = `{
  "contact": {
    "email": record.properties[id = "email"].values[0],
    "firstName": record.properties[id = "firstname"].values[0],
    "lastName": record.properties[id = "lastname"].values[0],
    "fieldValues": [{ "field": "1", "value": $join([record.properties[id = "interests"].values], ",") }]
  }
}`;

/**
 * Scenario 2: a clean-slate ActiveCampaign gets every BlueConic profile in bulk (the segment
 * export, page by page), then stays up to date in real time through the same sync's webhook.
 */
export async function setupScenario2(
  graphqlUrl: string, token: string, projectId: string, a: PlatformAccounts, opts: { bulk?: Record<string, unknown>; sync?: Record<string, unknown> } = {},
): Promise<SyncSetup> {
  if (!a.activecampaignUrl || !a.activecampaignToken || !a.blueconicSegmentId) throw new Error('scenario 2 needs an ActiveCampaign account and a BlueConic segment');
  const source = await blueconicSource(graphqlUrl, token, a);
  const targetCredential = await createCredential(graphqlUrl, token, { name: 'ActiveCampaign API key', apiKey: { key: a.activecampaignToken } });
  const setup = await createActiveSync(graphqlUrl, token, {
    projectId, name: 'BlueConic → ActiveCampaign: every profile, then real time',
    trigger: { kind: 'NOTIFY', idParam: 'id' }, source, mapping: CONTACT_INTERESTS_MAPPING,
    target: { connector: 'activecampaign', operation: 'syncContact', credentialId: targetCredential, baseUrl: a.activecampaignUrl },
    ...opts.sync,
  });
  await gqlOk(graphqlUrl, token, `mutation($id: ID!, $input: BulkSettingsInput!) { configureBulkSync(syncId: $id, input: $input) { listOperation } }`, {
    id: setup.syncId, input: { listOperation: 'listSegmentProfiles', params: { segmentId: a.blueconicSegmentId }, pageSize: 500, ...opts.bulk },
  });
  return setup;
}
