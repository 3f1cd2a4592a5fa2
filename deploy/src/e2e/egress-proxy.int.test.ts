import { eventually, gql, gqlOk } from '../demo/graphql.client';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { startConnectProxy, type ConnectProxy } from '@datahub/emulators';
import { COPERNICA_DB, startTestStack, type TestStack } from './test.stack';

/** Forwarding IP: a tenant's fetches and deliveries leave through its HTTP CONNECT proxy. */
describe("a tenant's egress proxy", () => {
  let stack: TestStack;
  let proxy: ConnectProxy;
  let token: string;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack();
    proxy = await startConnectProxy();
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Proxied Club');
    token = t.token;
    sync = await setupScenario1(stack.graphqlUrl, token, t.projectId, stack.accounts);
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  it('refuses a proxy on a private address or with credentials, naming the field', async () => {
    for (const url of ['http://10.0.0.7:3128', 'http://user:pw@proxy.example.com:3128', 'proxy.example.com']) {
      const r = await gql(stack.graphqlUrl, token, 'mutation($url: String) { setTenantEgressProxy(url: $url) { egressProxy } }', { url });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    }
  });

  it('sends the fetch and the delivery through the proxy once set, and directly again once cleared', async () => {
    const set = await gqlOk(stack.graphqlUrl, token, 'mutation($url: String) { setTenantEgressProxy(url: $url) { egressProxy } }', { url: proxy.url });
    expect(set.setTenantEgressProxy.egressProxy).toBe(proxy.url);
    stack.blueconic.upsertProfile({ id: 'px-1', properties: { email: ['px1@example.com'], interests: ['sailing'] } });
    // The setting reaches the worker through ConfigChanged; the first event after it goes through the proxy.
    await eventually(async () => {
      expect((await fetch(`${sync.inboundUrl}?id=px-1`)).status).toBe(202);
      await eventually(() => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'px1@example.com'), 5_000);
      return proxy.targets.length > 0;
    }, 10_000, 200);
    const blueconic = new URL(stack.accounts.blueconicUrl).host;
    const copernica = new URL(stack.accounts.copernicaUrl).host;
    await eventually(() => proxy.targets.includes(blueconic) && proxy.targets.includes(copernica), 5_000);

    await gqlOk(stack.graphqlUrl, token, 'mutation { setTenantEgressProxy(url: null) { egressProxy } }');
    stack.blueconic.upsertProfile({ id: 'px-2', properties: { email: ['px2@example.com'], interests: ['rowing'] } });
    await eventually(async () => {
      const before = proxy.targets.length;
      expect((await fetch(`${sync.inboundUrl}?id=px-2`)).status).toBe(202);
      await eventually(() => stack.copernica.profiles(COPERNICA_DB.id).find((p) => p.fields.email === 'px2@example.com'), 5_000);
      return proxy.targets.length === before;
    }, 10_000, 200);
  });
});
