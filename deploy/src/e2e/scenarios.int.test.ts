import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, setupScenario3, type SyncSetup } from '../demo/scenarios';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/**
 * The brief's scenarios 1 and 3, end to end: a partner configures everything through GraphQL,
 * BlueConic notifies the hub with a profile id, and the profile lands in Copernica.
 */
describe('BlueConic → Copernica (scenarios 1 and 3)', () => {
  let stack: TestStack;
  let token: string;
  let projectId: string;

  beforeAll(async () => {
    stack = await startTestStack({ retryScheduleMs: [200, 400, 800] });
    ({ token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Acme Sports'));
  });
  afterAll(() => stack?.stop());
  beforeEach(() => stack.copernica.faults.clear());

  const copernicaByEmail = (email: string) => stack.copernica.profiles(COPERNICA_DB.id).filter((p) => p.fields.email === email);
  const notify = (setup: SyncSetup, profileId: string) => fetch(`${setup.inboundUrl}?id=${encodeURIComponent(profileId)}`);
  const attempts = async (syncId: string) => {
    const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) {
      deliveries(first: 100) { edges { node { eventId attempt outcome targetStatus error traceId } } }
      deadLetters(first: 20) { edges { node { eventId reason lastStatus attempts lastResponse } } } } }`, { id: syncId });
    return {
      deliveries: d.sync.deliveries.edges.map((e: any) => e.node) as any[],
      deadLetters: d.sync.deadLetters.edges.map((e: any) => e.node) as any[],
    };
  };

  describe('scenario 1: profile interests, created when missing', () => {
    let sync: SyncSetup;
    beforeAll(async () => {
      sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    });

    it('gives the partner a ready-to-use inbound URL on the gateway', () => {
      expect(sync.inboundUrl).toBe(`${stack.gatewayUrl}/hooks/${sync.inboundKey}`);
      expect(sync.inboundKey).toMatch(/^dhk_/);
    });

    it('creates the profile with its interests after a notify webhook, then updates it without a duplicate', async () => {
      stack.blueconic.upsertProfile({ id: 'bc-jane', properties: { email: ['jane@example.com'], firstname: ['Jane'], interests: ['football', 'tennis'] } });
      const res = await notify(sync, 'bc-jane');
      expect(res.status).toBe(202);
      const { eventId } = (await res.json()) as { eventId: string };
      expect(eventId).toMatch(/^[0-9a-f-]{36}$/);

      const created = await eventually(() => copernicaByEmail('jane@example.com')[0]);
      expect(created.interests.sort()).toEqual(['football', 'tennis']);
      expect(created.fields.firstname).toBe('Jane');

      stack.blueconic.upsertProfile({ id: 'bc-jane', properties: { email: ['jane@example.com'], firstname: ['Jane'], interests: ['hockey'] } });
      expect((await notify(sync, 'bc-jane')).status).toBe(202);
      await eventually(() => copernicaByEmail('jane@example.com')[0]?.interests.includes('hockey'));
      expect(copernicaByEmail('jane@example.com')).toHaveLength(1);

      const { deliveries } = await attempts(sync.syncId);
      expect(deliveries.filter((d) => d.outcome === 'DELIVERED')).toHaveLength(2);
      // Last use shows up on the key and both credentials (written in batches, off the hot path).
      await eventually(async () => {
        const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { inboundKeys { edges { node { lastUsedAt } } }
          versions { source { credential { lastUsedAt } } target { credential { lastUsedAt } } } } }`, { id: sync.syncId });
        const v = d.sync.versions[0];
        return !!(d.sync.inboundKeys.edges[0].node.lastUsedAt && v.source.credential.lastUsedAt && v.target.credential.lastUsedAt);
      }, 5_000);
    });

    it('retries a target that answers 503 twice, then delivers', async () => {
      stack.blueconic.upsertProfile({ id: 'bc-max', properties: { email: ['max@example.com'], interests: ['golf'] } });
      stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 503, times: 2 });
      const res = await notify(sync, 'bc-max');
      const { eventId } = (await res.json()) as { eventId: string };

      await eventually(() => copernicaByEmail('max@example.com')[0]);
      const mine = (await attempts(sync.syncId)).deliveries.filter((d) => d.eventId === eventId).sort((a, b) => a.attempt - b.attempt);
      expect(mine.map((d) => [d.attempt, d.outcome, d.targetStatus])).toEqual([
        [1, 'RETRYING', 503], [2, 'RETRYING', 503], [3, 'DELIVERED', 201],
      ]);
    });

    it('puts an event the target rejects with 422 in dead letters, without retrying', async () => {
      stack.blueconic.upsertProfile({ id: 'bc-bad', properties: { email: ['bad@example.com'], interests: ['x'] } });
      stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 422, body: { error: { message: 'Invalid data provided' } } });
      const { eventId } = (await (await notify(sync, 'bc-bad')).json()) as { eventId: string };

      const dead = await eventually(async () => (await attempts(sync.syncId)).deadLetters.find((d) => d.eventId === eventId));
      expect(dead).toMatchObject({ lastStatus: 422, attempts: 1 });
      expect(dead.reason).toContain('422');
      expect(dead.lastResponse).toContain('Invalid data provided');
      expect(copernicaByEmail('bad@example.com')).toHaveLength(0);
    });

    it('dead-letters a notify for a profile BlueConic does not have', async () => {
      const { eventId } = (await (await notify(sync, 'no-such-profile')).json()) as { eventId: string };
      const dead = await eventually(async () => (await attempts(sync.syncId)).deadLetters.find((d) => d.eventId === eventId));
      expect(dead).toMatchObject({ lastStatus: 404 });
    });

    it('dead-letters after the last retry bucket when the target stays down', async () => {
      stack.blueconic.upsertProfile({ id: 'bc-down', properties: { email: ['down@example.com'], interests: ['x'] } });
      stack.copernica.faults.add({ method: 'PUT', pathPattern: '^/v3/database/', status: 500 });
      const { eventId } = (await (await notify(sync, 'bc-down')).json()) as { eventId: string };
      const dead = await eventually(async () => (await attempts(sync.syncId)).deadLetters.find((d) => d.eventId === eventId));
      expect(dead.attempts).toBe(4); // first try + one per retry bucket (3 in this test)
      expect(dead.reason).toContain('attempts exhausted');
    });
  });

  describe('scenario 3: OAuth 1.0a with separate create and update endpoints', () => {
    let sync: SyncSetup;
    beforeAll(async () => {
      sync = await setupScenario3(stack.graphqlUrl, token, projectId, stack.accounts);
    });

    it('creates with a signed POST, then updates with a signed PUT, both verified by the target', async () => {
      stack.copernica.requests.length = 0;
      stack.blueconic.upsertProfile({ id: 'bc-olivia', properties: { email: ['olivia@example.com'], interests: ['cycling'] } });
      expect((await notify(sync, 'bc-olivia')).status).toBe(202);
      const created = await eventually(() => copernicaByEmail('olivia@example.com')[0]);
      expect(created.interests).toEqual(['cycling']);

      stack.blueconic.upsertProfile({ id: 'bc-olivia', properties: { email: ['olivia@example.com'], interests: ['cycling', 'running'] } });
      expect((await notify(sync, 'bc-olivia')).status).toBe(202);
      await eventually(() => copernicaByEmail('olivia@example.com')[0]?.interests.includes('running'));
      expect(copernicaByEmail('olivia@example.com')).toHaveLength(1);

      const calls = stack.copernica.requests.map((r) => [r.method, r.path.replace(/\d+$/, ':id'), r.status, r.authKind]);
      expect(calls).toEqual([
        ['GET', '/v3/database/1/profiles', 200, 'oauth1'],
        ['POST', '/v3/database/1/profiles', 201, 'oauth1'],
        ['GET', '/v3/database/1/profiles', 200, 'oauth1'],
        ['PUT', '/v3/profile/:id', 204, 'oauth1'],
      ]);
    });
  });

  describe('what the origin platform is told', () => {
    let sync: SyncSetup;
    beforeAll(async () => {
      sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    });

    it('accepts the key as an Api-Key header or a bearer token too', async () => {
      const hooks = `${stack.gatewayUrl}/hooks`;
      expect((await fetch(`${hooks}?id=x`, { headers: { 'api-key': sync.inboundKey } })).status).toBe(202);
      expect((await fetch(`${hooks}?id=x`, { headers: { authorization: `Bearer ${sync.inboundKey}` } })).status).toBe(202);
      expect((await fetch(hooks, { method: 'POST', headers: { 'api-key': sync.inboundKey, 'content-type': 'application/json' }, body: '{"id":"x"}' })).status).toBe(202);
    });

    it.each([
      ['an unknown key', (s: SyncSetup) => fetch(`${s.inboundUrl.replace(/.{6}$/, 'AAAAAA')}?id=1`), 401, 'invalid_key'],
      ['no id', (s: SyncSetup) => fetch(s.inboundUrl), 400, 'missing_id'],
      ['malformed JSON', (s: SyncSetup) => fetch(s.inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":' }), 400, 'malformed_json'],
      ['an XML body', (s: SyncSetup) => fetch(s.inboundUrl, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<id>1</id>' }), 415, 'unsupported_media_type'],
      ['a body over the limit', (s: SyncSetup) => fetch(s.inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: '1', pad: 'x'.repeat(300_000) }) }), 413, 'payload_too_large'],
      ['a DELETE', (s: SyncSetup) => fetch(s.inboundUrl, { method: 'DELETE' }), 405, 'method_not_allowed'],
    ])('answers %s with a clear error', async (_what, call, status, code) => {
      const res = await call(sync);
      expect(res.status).toBe(status);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(10);
    });

    it('stops accepting a key once it is revoked', async () => {
      const d = await gqlOk(stack.graphqlUrl, token, `query($id: ID!) { sync(id: $id) { inboundKeys(first: 5) { edges { node { id prefix } } } } }`, { id: sync.syncId });
      const keyId = d.sync.inboundKeys.edges[0].node.id;
      expect(sync.inboundKey.startsWith(d.sync.inboundKeys.edges[0].node.prefix)).toBe(true);
      await gqlOk(stack.graphqlUrl, token, `mutation($id: ID!) { revokeInboundKey(id: $id) { revokedAt } }`, { id: keyId });
      await eventually(async () => (await notify(sync, 'x')).status === 401, 2_000, 50);
    });
  });

  describe('GraphQL errors a partner sees', () => {
    it('rejects an unknown connector operation, a broken mapping and a wrong credential kind, naming the field', async () => {
      const call = (input: object) => gql(stack.graphqlUrl, token, `mutation($input: CreateSyncInput!) { createSync(input: $input) { id } }`, { input });
      const apiKey = (await gqlOk(stack.graphqlUrl, token, `mutation { createCredential(input: { name: "k", apiKey: { key: "x" } }) { id } }`)).createCredential.id;
      const bearer = (await gqlOk(stack.graphqlUrl, token, `mutation { createCredential(input: { name: "b", bearer: { token: "t" } }) { id } }`)).createCredential.id;
      const base = {
        projectId, name: 's', trigger: { kind: 'NOTIFY' }, mapping: '{"a": record.id}',
        source: { connector: 'blueconic', operation: 'getProfile', credentialId: bearer, baseUrl: stack.blueconic.url },
        target: { connector: 'copernica', operation: 'upsertProfile', credentialId: apiKey, baseUrl: stack.copernica.url, params: { databaseId: '1' } },
      };
      expect((await call(base)).errors).toBeUndefined();
      const cases: [object, string, RegExp][] = [
        [{ ...base, target: { ...base.target, operation: 'deleteEverything' } }, 'input.target.operation', /not a upsert\/create\/update operation/],
        [{ ...base, mapping: '{"a": record.id' }, 'input.mapping', /does not compile at position/],
        [{ ...base, source: { ...base.source, credentialId: apiKey } }, 'input.source.credentialId', /takes oauth2_client_credentials or oauth2_authorization_code or bearer credentials, not api_key/],
        [{ ...base, target: { ...base.target, params: {} } }, 'input.target.params.databaseId', /required/],
        [{ ...base, trigger: { kind: 'PUSH' } }, 'input.source', /PUSH trigger carries the record/],
        [{ ...base, target: { ...base.target, baseUrl: 'http://169.254.169.254/latest' } }, 'input.target.baseUrl', /https|private/],
      ];
      for (const [input, field, message] of cases) {
        const r = await call(input);
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(r.errors?.[0]?.message).toMatch(message);
      }
    });

    it('answers UNAUTHENTICATED without a valid token and NOT_FOUND for another tenant\'s sync', async () => {
      const anon = await gql(stack.graphqlUrl, null, `{ syncs { totalCount } }`);
      expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const bad = await gql(stack.graphqlUrl, 'dht_nottoken', `{ syncs { totalCount } }`);
      expect(bad.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      const other = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Other Club');
      const mine = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
      const r = await gql(stack.graphqlUrl, other.token, `query($id: ID!) { sync(id: $id) { id name } }`, { id: mine.syncId });
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(r.data?.sync ?? null).toBeNull();
    });

    it('never returns a secret', async () => {
      const r = await gqlOk(stack.graphqlUrl, token, `{ credentials(first: 50) { edges { node { kind fingerprint } } } }`);
      const text = JSON.stringify(r);
      for (const secret of ['copernica-access-token', 'hub-client-secret', 'consumer-secret', 'token-secret']) expect(text).not.toContain(secret);
      expect(r.credentials.edges[0].node.fingerprint).toMatch(/^sha256:/);
    });
  });
});
