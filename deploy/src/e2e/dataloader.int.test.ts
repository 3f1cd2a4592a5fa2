import type { Logger, QueryRunner } from 'typeorm';
import { gqlOk } from '../demo/graphql.client';
import { createTenant } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/** Relations are batched: an admin list of syncs with versions and credentials is a fixed number of queries. */
describe('GraphQL relations cost a bounded number of SQL queries', () => {
  let stack: TestStack;
  let token: string;
  afterAll(() => stack?.stop());

  beforeAll(async () => {
    stack = await startTestStack();
    const tenant = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Big Club');
    token = tenant.token;
    const cred = async (input: object) => (await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, { i: input })).createCredential.id;
    const source = await cred({ name: 'bc', oauth2ClientCredentials: { clientId: 'a', clientSecret: 'b' } });
    const target = await cred({ name: 'cp', apiKey: { key: 'k' } });
    for (let i = 0; i < 100; i++) {
      await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: {
        projectId: tenant.projectId, name: `sync ${i}`, trigger: { kind: 'NOTIFY' }, mapping: '{"fields": {"email": record.id}}',
        source: { connector: 'blueconic', operation: 'getProfile', credentialId: source, baseUrl: stack.blueconic.url },
        target: { connector: 'copernica', operation: 'upsertProfile', credentialId: target, baseUrl: stack.copernica.url, params: { databaseId: '1' } },
      } });
    }
  });

  /** Runs `query` and returns its data and the SQL statements the control plane sent for it. */
  async function counted(query: string, variables: Record<string, unknown> = {}) {
    await gqlOk(stack.graphqlUrl, token, '{ viewer { tenant { name } } }'); // last_used_at is touched at most once a minute: not in the count
    const statements: string[] = [];
    const original = stack.cp.ds.logger;
    const counting: Logger = {
      logQuery: (q: string, _p?: unknown[], _r?: QueryRunner) => {
        // The per-token rate limit leases burst/10 tokens per statement (graphql-rate-limit.int.test.ts
        // counts that); whether this request is the one that renews the lease is not the page's cost.
        if (!q.includes('graphql_rate_buckets')) statements.push(q.slice(0, 80));
      },
      logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined,
    };
    Object.assign(stack.cp.ds, { logger: counting });
    try {
      const data = await gqlOk(stack.graphqlUrl, token, query, variables);
      return { data, statements };
    } finally {
      Object.assign(stack.cp.ds, { logger: original });
    }
  }

  it('lists 100 syncs with their versions, both credentials and the total in five queries', async () => {
    const { data: d, statements } = await counted(`{ syncs(first: 100) { totalCount edges { node { name versions { version
      source { credential { name kind } } target { credential { name fingerprint } } } } } } }`);
    expect(d.syncs.edges).toHaveLength(100);
    expect(d.syncs.totalCount).toBe(100);
    expect(d.syncs.edges[99].node.versions[0].target.credential.name).toBe('cp');
    // token lookup + page + count + versions batch + credentials batch: not 100s.
    expect(statements).toHaveLength(5);
  });

  it('serves a later page of 50 syncs with versions, endpoints and credentials in at most four queries, counting only when asked', async () => {
    const first = await gqlOk(stack.graphqlUrl, token, '{ syncs(first: 50) { pageInfo { endCursor } } }');
    const { data: d, statements } = await counted(`query($after: String) { syncs(first: 50, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id name activeVersion versions { id version state
        source { connector baseUrl credential { id name kind status fingerprint } }
        target { connector baseUrl credential { id name kind status fingerprint } } } } } } }`, { after: first.syncs.pageInfo.endCursor });
    expect(d.syncs.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(Array.from({ length: 50 }, (_, i) => `sync ${50 + i}`));
    expect(d.syncs.pageInfo.hasNextPage).toBe(false);
    expect(d.syncs.edges[0].node.versions[0].source.credential).toMatchObject({ name: 'bc', kind: 'OAUTH2_CLIENT_CREDENTIALS', status: 'ACTIVE' });
    // token lookup + page + versions batch + credentials batch; no COUNT(*) when totalCount is not selected.
    expect({ atMostFour: statements.length <= 4, statements }).toMatchObject({ atMostFour: true });
  });
});
