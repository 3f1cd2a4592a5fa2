import { loadDataPlaneEnv, startWorker } from '@datahub/data-plane';
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

      const ids = Array.from({ length: 20 }, (_, i) => `code-${i}`);
      for (const id of ids) stack.blueconic.upsertProfile({ id, properties: { email: [`${id}@example.com`], interests: ['x'] } });
      const answers = await Promise.all(ids.map((id) => fetch(`${key}?id=${id}`)));
      expect(answers.map((r) => r.status)).toEqual(ids.map(() => 202));

      await eventually(() => ids.every((id) => stack.copernica.profiles(COPERNICA_DB.id).some((p) => p.fields.email === `${id}@example.com`)), 20_000);
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
