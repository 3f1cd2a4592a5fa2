import type { Logger, QueryRunner } from 'typeorm';
import { gqlOk } from '../demo/graphql.client';
import { createTenant } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

/** Relations are batched: an admin list of 100 syncs with versions and credentials is a bounded number of queries. */
describe('GraphQL relations cost a bounded number of SQL queries', () => {
  let stack: TestStack;
  afterAll(() => stack?.stop());

  it('lists 100 syncs with their versions and both credentials in a handful of queries', async () => {
    stack = await startTestStack();
    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Big Club');
    const cred = async (input: object) => (await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateCredentialInput!) { createCredential(input: $i) { id } }`, { i: input })).createCredential.id;
    const source = await cred({ name: 'bc', oauth2ClientCredentials: { clientId: 'a', clientSecret: 'b' } });
    const target = await cred({ name: 'cp', apiKey: { key: 'k' } });
    for (let i = 0; i < 100; i++) {
      await gqlOk(stack.graphqlUrl, token, `mutation($i: CreateSyncInput!) { createSync(input: $i) { id } }`, { i: {
        projectId, name: `sync ${i}`, trigger: { kind: 'NOTIFY' }, mapping: '{"fields": {"email": record.id}}',
        source: { connector: 'blueconic', operation: 'getProfile', credentialId: source, baseUrl: stack.blueconic.url },
        target: { connector: 'copernica', operation: 'upsertProfile', credentialId: target, baseUrl: stack.copernica.url, params: { databaseId: '1' } },
      } });
    }

    let queries = 0;
    const original = stack.cp.ds.logger;
    const counting: Logger = {
      logQuery: (_q: string, _p?: unknown[], _r?: QueryRunner) => void queries++,
      logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined,
    };
    Object.assign(stack.cp.ds, { logger: counting });
    try {
      const d = await gqlOk(stack.graphqlUrl, token, `{ syncs(first: 100) { totalCount edges { node { name versions { version
        source { credential { name kind } } target { credential { name fingerprint } } } } } } }`);
      expect(d.syncs.edges).toHaveLength(100);
      expect(d.syncs.edges[99].node.versions[0].target.credential.name).toBe('cp');
      // token lookup + page + count + versions batch + credentials batch (+ audit/touch noise): not 100s.
      expect(queries).toBeLessThanOrEqual(8);
    } finally {
      Object.assign(stack.cp.ds, { logger: original });
    }
  });
});
