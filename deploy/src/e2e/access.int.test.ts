import { gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/** API tokens and their scopes, idempotent creates and the audit log, as a partner's script meets them. */
describe('access: tokens, scopes, idempotency, audit', () => {
  let stack: TestStack;
  let admin: string;
  let projectId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ token: admin, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Access Club'));
  });
  afterAll(() => stack?.stop());

  const issue = async (scopes: string[], extra: Record<string, unknown> = {}) =>
    (await gqlOk(stack.graphqlUrl, admin, `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id prefix scopes } } }`,
      { input: { name: `t-${scopes.join('-')}`, scopes, ...extra } })).createApiToken;

  it('issues scoped tokens: read can query, not mutate; write cannot manage tokens', async () => {
    const read = await issue(['READ']);
    expect(read.token.startsWith(read.apiToken.prefix)).toBe(true);
    expect((await gql(stack.graphqlUrl, read.token, `{ syncs { totalCount } }`)).errors).toBeUndefined();
    const refused = await gql(stack.graphqlUrl, read.token, `mutation { createProject(input: { name: "x" }) { id } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const write = await issue(['WRITE']);
    expect((await gql(stack.graphqlUrl, write.token, `mutation { createProject(input: { name: "by-write" }) { id } }`)).errors).toBeUndefined();
    expect((await gql(stack.graphqlUrl, write.token, `{ apiTokens { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('stops a revoked token at once and an expired one too', async () => {
    const t = await issue(['READ']);
    await gqlOk(stack.graphqlUrl, admin, `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id: t.apiToken.id });
    expect((await gql(stack.graphqlUrl, t.token, `{ syncs { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const soon = await issue(['READ'], { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await gql(stack.graphqlUrl, soon.token, `{ syncs { totalCount } }`)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await gql(stack.graphqlUrl, soon.token, `{ syncs { totalCount } }`);
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
  });

  it('creates once per idempotencyKey: a retried script gets the first result, even the once-shown secret', async () => {
    const make = (name: string) => gql(stack.graphqlUrl, admin, `mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id name } }`,
      { input: { name, bearer: { token: 'tok' }, idempotencyKey: 'setup-step-1' } });
    const first = await make('Same');
    const again = await make('Same');
    expect(again.data?.createCredential.id).toBe(first.data?.createCredential.id);
    const count = await gqlOk(stack.graphqlUrl, admin, `{ credentials(first: 100) { edges { node { name } } } }`);
    expect(count.credentials.edges.filter((e: any) => e.node.name === 'Same')).toHaveLength(1);
    const conflict = await make('Different input');
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const t1 = await issue(['READ'], { idempotencyKey: 'token-1' });
    const t2 = await issue(['READ'], { idempotencyKey: 'token-1' });
    expect(t2).toEqual(t1);
  });

  it('records every mutation in the audit log, with who, what and no secrets', async () => {
    await gqlOk(stack.graphqlUrl, admin, `mutation { createCredential(input: { name: "audited", apiKey: { key: "super-secret-key-value" } }) { id } }`);
    await gql(stack.graphqlUrl, admin, `mutation { createProject(input: { name: "" }) { id } }`);
    const log = await gqlOk(stack.graphqlUrl, admin, `{ auditLog(first: 50) { edges { node { operation outcome actor tokenId targetType input after createdAt } } } }`);
    const entries = log.auditLog.edges.map((e: any) => e.node);
    const created = entries.find((e: any) => e.operation === 'createCredential' && e.input?.input?.name === 'audited');
    expect(created).toMatchObject({ outcome: 'ok', actor: 'tenant', targetType: 'Credential' });
    expect(created.tokenId).toBeTruthy();
    expect(entries.find((e: any) => e.operation === 'createProject' && e.outcome === 'BAD_USER_INPUT')).toBeDefined();
    expect(JSON.stringify(entries)).not.toContain('super-secret-key-value');
  });

  it('filters the audit log by a target id, and refuses one that is not an id instead of listing everything', async () => {
    const { createCredential: c } = await gqlOk(stack.graphqlUrl, admin, `mutation { createCredential(input: { name: "audit-filtered", apiKey: { key: "k" } }) { id } }`);
    const byTarget = (id: string) => gql(stack.graphqlUrl, admin, `query($id: ID!) { auditLog(targetId: $id) { totalCount edges { node { operation targetId } } } }`, { id });
    const own = await byTarget(c.id);
    expect(own.errors).toBeUndefined();
    expect(own.data.auditLog.edges.map((e: any) => [e.node.operation, e.node.targetId])).toEqual([['createCredential', c.id]]);
    const nul = Buffer.from('Credential:\u0000').toString('base64url');
    for (const id of ['not-an-id', '', nul, Buffer.from('Credential:x\u0000y').toString('base64url')]) {
      const r = await byTarget(id);
      expect({ id, data: r.data, error: r.errors?.[0]?.extensions }).toEqual({ id, data: null, error: { code: 'BAD_USER_INPUT', field: 'targetId' } });
    }
  });

  it('creates a tenant once per operator idempotencyKey, token included', async () => {
    const make = () => gqlOk(stack.graphqlUrl, stack.operatorToken, `mutation { createTenant(input: { name: "Once", idempotencyKey: "onboard-once" }) { tenant { id } apiToken { token } } }`);
    expect(await make()).toEqual(await make());
  });

  it('lets an operator create tenants and nothing else; a tenant token cannot create tenants', async () => {
    const r = await gql(stack.graphqlUrl, admin, `mutation { createTenant(input: { name: "nope" }) { tenant { id } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const op = await gql(stack.graphqlUrl, stack.operatorToken, `{ syncs { totalCount } }`);
    expect(op.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps working for a sync set up by an earlier step (sanity of the shared stack)', async () => {
    const s = await setupScenario1(stack.graphqlUrl, admin, projectId, stack.accounts);
    expect(s.inboundKey).toMatch(/^dhk_/);
  });
});
