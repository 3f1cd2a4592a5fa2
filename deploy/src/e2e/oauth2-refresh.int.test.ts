import { loadDataPlaneEnv, startWorker } from '@datahub/data-plane';
import { Client } from 'pg';
import { eventually, gqlOk } from '../demo/graphql.client';
import { createTenant, PROFILE_INTERESTS_MAPPING } from '../demo/scenarios';
import { BLUECONIC_CLIENT, COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** An OAuth 2 authorization-code credential: the hub refreshes it once, however many workers need it at once. */
describe('OAuth 2 authorization code with refresh-token rotation', () => {
  let stack: TestStack;
  afterAll(() => stack?.stop());

  it('refreshes an expired access token exactly once across two workers and 20 concurrent events', async () => {
    stack = await startTestStack();
    const secondWorker = await startWorker(loadDataPlaneEnv(stack.env));
    try {
      const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Code Flow Club');
      const grant = stack.blueconic.grantAuthorizationCode(BLUECONIC_CLIENT.clientId);
      const cred = async (input: object) => (await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id kind } }`, { i: input })).createCredential.id;
      const source = await cred({ name: 'BlueConic (authorization code)', oauth2AuthorizationCode: {
        ...BLUECONIC_CLIENT, tokenUrl: `${stack.blueconic.url}/oauth/token`, accessToken: grant.accessToken, refreshToken: grant.refreshToken,
        accessTokenExpiresAt: new Date(Date.now() - 1000).toISOString(), // the hub sees it as expired: it must refresh first
      } });
      const target = await cred({ name: 'cp', apiKey: { key: stack.accounts.copernicaToken } });
      const sync = await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: {
        projectId, name: 'code flow', trigger: { kind: 'NOTIFY' }, mapping: PROFILE_INTERESTS_MAPPING,
        source: { connector: 'blueconic', operation: 'getProfile', credentialId: source, baseUrl: stack.blueconic.url },
        target: { connector: 'copernica', operation: 'upsertProfile', credentialId: target, baseUrl: stack.copernica.url, params: { databaseId: String(COPERNICA_DB.id) } },
      } });
      await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { activateSyncVersion(syncId: $id, version: 1) { id } }`, { id: sync.createSync.id });
      const key = (await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { createInboundKey(input: { syncId: $id }) { url } }`, { id: sync.createSync.id })).createInboundKey.url;

      // A slow token endpoint keeps the first refresh in flight while the other worker wants one too, and
      // slow profile reads keep events in hand long enough to see which worker holds each (entity_leases.holder).
      stack.blueconic.faults.add({ method: 'POST', pathPattern: '/oauth/token$', latencyMs: 300 });
      stack.blueconic.faults.add({ method: 'GET', pathPattern: '^/rest/v2/profiles/', latencyMs: 300 });
      const holders = await watchLeaseHolders(stack.db.url);

      const ids = Array.from({ length: 20 }, (_, i) => `code-${i}`);
      for (const id of ids) stack.blueconic.upsertProfile({ id, properties: { email: [`${id}@example.com`], interests: ['x'] } });
      const answers = await Promise.all(ids.map((id) => fetch(`${key}?id=${id}`)));
      expect(answers.map((r) => r.status)).toEqual(ids.map(() => 202));

      await eventually(() => ids.every((id) => stack.copernica.profiles(COPERNICA_DB.id).some((p) => p.fields.email === `${id}@example.com`)), 20_000);
      expect((await holders.stop()).size).toBe(2); // both workers handled events…
      // …and one refresh request reached the platform: the other worker waited for it instead of sending its own.
      const refreshes = stack.blueconic.requests.filter((r) => r.path.endsWith('/oauth/token') && (r.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token');
      expect(refreshes).toHaveLength(1);
      expect(stack.blueconic.refreshesGranted()).toBe(1);
      // The rotated refresh token was stored: the hub's copy is the new one, so the next refresh works too.
      const bearer = stack.blueconic.requests.filter((r) => r.path.startsWith('/rest/v2/profiles/') && r.status === 200).map((r) => r.headers.authorization);
      expect(new Set(bearer).size).toBe(1);
      expect(bearer[0]).not.toBe(`Bearer ${grant.accessToken}`);
    } finally {
      await secondWorker.close();
    }
  });
});

/** Collects the holders of entity leases (one per worker) until stopped. */
async function watchLeaseHolders(databaseUrl: string): Promise<{ stop(): Promise<Set<string>> }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const seen = new Set<string>();
  let running = true;
  const polling = (async () => {
    while (running) {
      for (const row of (await db.query('SELECT DISTINCT holder FROM entity_leases')).rows) seen.add(row.holder);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await polling;
      await db.end();
      return seen;
    },
  };
}
