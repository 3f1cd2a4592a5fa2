import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch, request, type Agent } from 'undici';
import { checkOutboundUrl, parseAllowHosts } from './outbound-url';
import { createOutboundAgent, FORBIDDEN_ADDRESS_CODE, guardedLookup, type Resolver } from './outbound.lookup';

const PUBLIC: LookupAddress = { address: '93.184.215.14', family: 4 };
const LOOPBACK: LookupAddress = { address: '127.0.0.1', family: 4 };
const METADATA_URL = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';

/** A real HTTP server on 127.0.0.1 that counts the connections it accepts. */
async function startServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  let accepted = 0;
  const server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: METADATA_URL }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${req.headers.host}`);
  });
  server.on('connection', () => { accepted += 1; });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, port: (server.address() as AddressInfo).port, connections: () => accepted };
}

/** The attacker's zone: each query of a name gets the next answer (the last one repeats). */
function zone(table: Record<string, LookupAddress[][]>): Resolver & { queries: string[] } {
  const queries: string[] = [];
  const resolve = async (host: string) => {
    const seq = table[host] ?? [];
    const n = queries.filter((q) => q === host).length;
    queries.push(host);
    const answer = seq[Math.min(n, seq.length - 1)];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return Object.assign(resolve, { queries });
}

const errorCode = (e: unknown): unknown => (e as { code?: unknown; cause?: { code?: unknown } }).code ?? (e as { cause?: { code?: unknown } }).cause?.code;

describe('outbound agent: the SSRF policy at connect time', () => {
  let target: Awaited<ReturnType<typeof startServer>>;
  const agents: Agent[] = [];
  const agent = (allowHosts: string, resolve: Resolver) => {
    const a = createOutboundAgent({ allowHosts: parseAllowHosts(allowHosts), connectTimeoutMs: 2000, resolve });
    agents.push(a);
    return a;
  };

  beforeAll(async () => { target = await startServer(); });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await new Promise((done) => target.server.close(done));
  });

  it('refuses a name that re-resolves to 127.0.0.1 after passing the checks (DNS rebinding)', async () => {
    const dns = zone({ 'rebind.example.com': [[PUBLIC], [LOOPBACK]] });
    const url = `https://rebind.example.com:${target.port}/admin`;
    expect(checkOutboundUrl(url, parseAllowHosts('')).ok).toBe(true);
    // The first answer is public: a check that resolved the name now would let it through.
    const first = await new Promise<string>((ok, fail) =>
      guardedLookup(new Set(), dns)('rebind.example.com', {}, (err, address) => (err ? fail(err) : ok(address as string))));
    expect(first).toBe(PUBLIC.address);

    const before = target.connections();
    const refused = await agent('', dns).request({ origin: new URL(url).origin, path: '/admin', method: 'GET' }).catch((e: unknown) => e);
    expect(errorCode(refused)).toBe(FORBIDDEN_ADDRESS_CODE);
    expect((refused as Error).message).toContain('rebind.example.com');
    expect((refused as Error).message).toContain('127.0.0.1');
    expect(dns.queries).toEqual(['rebind.example.com', 'rebind.example.com']);
    expect(target.connections()).toBe(before);
  });

  it('reaches a real server on 127.0.0.1 through an allow-listed name', async () => {
    const dns = zone({ 'emulator.example.test': [[LOOPBACK]] });
    const res = await request(`http://emulator.example.test:${target.port}/hello`, { dispatcher: agent('emulator.example.test', dns) });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe(`hello from emulator.example.test:${target.port}`);
  });

  it('refuses a name that resolves to a public and a private address', async () => {
    const dns = zone({ 'split.example.com': [[PUBLIC, { address: '10.0.0.7', family: 4 }]] });
    const refused = await request(`https://split.example.com:${target.port}/`, { dispatcher: agent('', dns) }).catch((e: unknown) => e);
    expect(errorCode(refused)).toBe(FORBIDDEN_ADDRESS_CODE);
    expect((refused as Error).message).toContain('10.0.0.7');
  });

  it('refuses IP-literal hosts, which net.connect would not resolve', async () => {
    const dns = zone({});
    for (const url of [METADATA_URL, `http://127.0.0.1:${target.port}/`, `http://[::ffff:7f00:1]:${target.port}/`]) {
      const refused = await request(url, { dispatcher: agent('', dns) }).catch((e: unknown) => e);
      expect(errorCode(refused)).toBe(FORBIDDEN_ADDRESS_CODE);
    }
    expect(dns.queries).toEqual([]);
    const allowed = await request(`http://127.0.0.1:${target.port}/`, { dispatcher: agent('127.0.0.1', dns) });
    expect(allowed.statusCode).toBe(200);
    await allowed.body.dump();
  });

  it('returns a 302 to the metadata address as a response instead of following it', async () => {
    const a = agent('127.0.0.1', zone({}));
    const res = await a.request({ origin: `http://127.0.0.1:${target.port}`, path: '/moved', method: 'GET' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(METADATA_URL);
    await res.body.dump();
    const viaRequest = await request(`http://127.0.0.1:${target.port}/moved`, { dispatcher: a });
    expect(viaRequest.statusCode).toBe(302);
    await viaRequest.body.dump();
  });

  it('refuses the metadata hop even when a caller uses fetch with redirect: follow', async () => {
    const failed = await fetch(`http://127.0.0.1:${target.port}/moved`, { dispatcher: agent('127.0.0.1', zone({})) }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TypeError); // fetch reports network errors as "fetch failed" with the cause
    expect(errorCode(failed)).toBe(FORBIDDEN_ADDRESS_CODE);
  });
});
