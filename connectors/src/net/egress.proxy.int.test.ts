import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startConnectProxy, type ConnectProxy } from '@datahub/emulators';
import { request, type Agent } from 'undici';
import { parseEgressProxy, PROXY_REFUSED_CODE, type EgressProxy } from './egress.proxy';
import { parseAllowHosts } from './outbound-url';
import { createOutboundAgent, FORBIDDEN_ADDRESS_CODE, type Resolver } from './outbound.lookup';

const zone = (table: Record<string, LookupAddress[]>): Resolver => async (host) => {
  const a = table[host];
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return a;
};

const errorCode = (e: unknown): unknown => (e as { code?: unknown }).code ?? (e as { cause?: { code?: unknown } }).cause?.code;

describe('outbound calls through an egress proxy (HTTP CONNECT)', () => {
  let target: Server;
  let targetPort: number;
  let proxy: ConnectProxy;
  const agents: Agent[] = [];
  const agent = (p: EgressProxy, allowHosts = '127.0.0.1', resolve?: Resolver) => {
    const a = createOutboundAgent({ allowHosts: parseAllowHosts(allowHosts), connectTimeoutMs: 2_000, proxy: p, resolve });
    agents.push(a);
    return a;
  };
  const trusted = (url: string): EgressProxy => ({ url: new URL(url), trusted: true });

  beforeAll(async () => {
    target = createServer((req, res) => res.end(`hello ${req.method} ${req.url}`));
    await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
    targetPort = (target.address() as AddressInfo).port;
    proxy = await startConnectProxy();
  });
  beforeEach(() => {
    proxy.targets.length = 0;
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await proxy.close();
    target.closeAllConnections();
    await new Promise((ok) => target.close(ok));
  });

  it('sends an allowed call through the proxy tunnel, which sees only host and port', async () => {
    const res = await request(`http://127.0.0.1:${targetPort}/deliver?x=1`, { dispatcher: agent(trusted(proxy.url)), method: 'POST', body: '{}' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('hello POST /deliver?x=1');
    expect(proxy.targets).toEqual([`127.0.0.1:${targetPort}`]);
  });

  it('refuses a private target before the proxy is asked for a tunnel', async () => {
    const a = agent(trusted(proxy.url), '');
    const literal = await request(`http://10.1.2.3:${targetPort}/`, { dispatcher: a }).catch((e: unknown) => e);
    expect(errorCode(literal)).toBe(FORBIDDEN_ADDRESS_CODE);
    const named = await request('https://rebound.example.com/', {
      dispatcher: agent(trusted(proxy.url), '', zone({ 'rebound.example.com': [{ address: '169.254.169.254', family: 4 }] })),
    }).catch((e: unknown) => e);
    expect(errorCode(named)).toBe(FORBIDDEN_ADDRESS_CODE);
    expect(proxy.targets).toEqual([]);
  });

  it('sends the operator proxy credentials as Proxy-Authorization, and reports a refused tunnel', async () => {
    const authed = await startConnectProxy({ requireAuth: `Basic ${Buffer.from('hub:s3cret').toString('base64')}` });
    try {
      const withAuth = new URL(authed.url);
      withAuth.username = 'hub';
      withAuth.password = 's3cret';
      const ok = await request(`http://127.0.0.1:${targetPort}/`, { dispatcher: agent(trusted(withAuth.href)) });
      expect(ok.statusCode).toBe(200);
      await ok.body.text();
      const refused = await request(`http://127.0.0.1:${targetPort}/`, { dispatcher: agent(trusted(authed.url)) }).catch((e: unknown) => e);
      expect(errorCode(refused)).toBe(PROXY_REFUSED_CODE);
      expect(String((refused as Error).message)).toContain('HTTP 407');
    } finally {
      await authed.close();
    }
  });

  it("refuses a tenant's proxy on a private address, unless the operator allow-listed it", async () => {
    expect(parseEgressProxy('http://10.0.0.5:3128', false, parseAllowHosts(''))).toMatchObject({ ok: false });
    expect(parseEgressProxy('http://user:pw@proxy.example.com:3128', false, parseAllowHosts(''))).toMatchObject({ ok: false });
    expect(parseEgressProxy('https://proxy.example.com:3128', false, parseAllowHosts(''))).toMatchObject({ ok: false });
    expect(parseEgressProxy('http://proxy.example.com:3128', false, parseAllowHosts(''))).toMatchObject({ ok: true });
    // A tenant proxy whose name resolves to a private address is refused when connecting.
    const sneaky: EgressProxy = { url: new URL(`http://proxy.example.com:${new URL(proxy.url).port}`), trusted: false };
    const dns = zone({ 'proxy.example.com': [{ address: '127.0.0.1', family: 4 }], 'api.example.com': [{ address: '93.184.215.14', family: 4 }] });
    const err = await request('http://api.example.com/', { dispatcher: agent(sneaky, '', dns) }).catch((e: unknown) => e);
    expect(errorCode(err)).toBe(FORBIDDEN_ADDRESS_CODE);
    expect(proxy.targets).toEqual([]);
  });
});
