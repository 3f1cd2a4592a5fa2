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
