import { mintToken } from '@datahub/connectors/dist/edge';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayEnv } from './env';
import { startGateway, type Gateway } from './gateway.server';

/** A stand-in upstream: answers 202 with its name, after `delayMs`, and records what it was sent. */
async function upstream(name: string, delayMs = 0) {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz' || req.url === '/healthz') return void res.end('{"status":"ready"}');
    seen.push(req);
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(202, { 'content-type': 'text/plain' }).end(name), delayMs));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, seen, server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}

const base = (urls: string, extra: Record<string, string> = {}) => loadGatewayEnv({
  HUB_GATEWAY_PORT: '0', HUB_CONTROL_PLANE_URL: urls, HUB_INGRESS_URL: urls, HUB_GATEWAY_DRAIN_GRACE_MS: '0',
  HUB_GATEWAY_PROBE_INTERVAL_MS: '100', HUB_GATEWAY_RATE_PER_IP_PER_SEC: '0', HUB_GATEWAY_RATE_PER_KEY_PER_SEC: '0', ...extra,
});

describe('gateway at the edge', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  const start = async (env: ReturnType<typeof base>): Promise<Gateway> => {
    const gw = await startGateway(env);
    closers.push(() => gw.close());
    return gw;
  };
  const up = async (name: string, delayMs = 0) => {
    const u = await upstream(name, delayMs);
    closers.push(u.close);
    return u;
  };

  it('answers 429 with Retry-After past the per-address limit', async () => {
    const u = await up('a');
    const gw = await start(base(u.url, { HUB_GATEWAY_RATE_PER_IP_PER_SEC: '0.1', HUB_GATEWAY_RATE_PER_IP_BURST: '5' }));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${gw.url}/graphql`, { method: 'POST', body: '{}' })).status);
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    const refused = await fetch(`${gw.url}/graphql`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(u.seen).toHaveLength(5);
  });

  it('limits each inbound key on its own, counted by its lookup id', async () => {
    const u = await up('a');
    const gw = await start(base(u.url, { HUB_GATEWAY_RATE_PER_KEY_PER_SEC: '0.1', HUB_GATEWAY_RATE_PER_KEY_BURST: '3' }));
    const [k1, k2] = [mintToken('dhk').token, mintToken('dhk').token];
    const hit = async (k: string) => (await fetch(`${gw.url}/hooks/${k}?id=1`)).status;
    expect([await hit(k1), await hit(k1), await hit(k1), await hit(k1)]).toEqual([202, 202, 202, 429]);
    // The same key in a header counts against the same bucket; another key has its own.
    expect((await fetch(`${gw.url}/hooks?id=1`, { headers: { 'api-key': k1 } })).status).toBe(429);
    expect(await hit(k2)).toBe(202);
  });

  it('believes X-Forwarded-For only from a trusted proxy address', async () => {
    const u = await up('a');
    const trusting = await start(base(u.url, { HUB_GATEWAY_TRUSTED_PROXIES: '127.0.0.0/8' }));
    await fetch(`${trusting.url}/graphql`, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' } });
    const distrusting = await start(base(u.url, { HUB_GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8' }));
    await fetch(`${distrusting.url}/graphql`, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(u.seen.map((r) => r.headers['x-forwarded-for'])).toEqual(['203.0.113.9', '127.0.0.1']);
  });

  it('terminates TLS 1.2 and up with the configured certificate, and refuses TLS 1.1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-tls-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const u = await up('a');
    const gw = await start(base(u.url, { HUB_GATEWAY_TLS_CERT_FILE: cert, HUB_GATEWAY_TLS_KEY_FILE: key }));
    expect(gw.url).toMatch(/^https:/);
    const get = (maxVersion: 'TLSv1.1' | 'TLSv1.3') => new Promise<{ status?: number; proto?: string; error?: string }>((resolve) => {
      const req = httpsRequest(`${gw.url}/hooks/x?id=1`, { ca: readFileSync(cert), maxVersion, minVersion: 'TLSv1' }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, proto: (res.socket as import('node:tls').TLSSocket | null)?.getProtocol?.() ?? undefined }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      req.end();
    });
    const modern = await get('TLSv1.3');
    expect(modern.status).toBe(202);
    expect(u.seen.at(-1)?.headers['x-forwarded-proto']).toBe('https');
    const old = await get('TLSv1.1');
    expect(old.status).toBeUndefined();
    expect(old.error).toBeDefined();
  });

  it('spreads requests over several upstreams and fails over when one is gone, without an error', async () => {
    const [a, b] = [await up('a'), await up('b')];
    const gw = await start(base(`${a.url},${b.url}`));
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push(await (await fetch(`${gw.url}/hooks/x?id=${i}`)).text());
    expect(bodies.filter((x) => x === 'a').length).toBe(3);
    expect(bodies.filter((x) => x === 'b').length).toBe(3);
    await a.close(); // gone before any probe noticed: the refused connection moves the request on
    const after: [number, string][] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${gw.url}/hooks/x?id=${i}`, { method: 'POST', body: '{"id":"x"}', headers: { 'content-type': 'application/json' } });
      after.push([res.status, await res.text()]);
    }
    expect(after).toEqual(Array(6).fill([202, 'b']));
  });

  it('drains on close: readiness 503 first, in-flight requests finish, then the port closes', async () => {
    const slow = await up('slow', 600);
    const gw = await startGateway(base(slow.url, { HUB_GATEWAY_DRAIN_GRACE_MS: '300' }));
    const inflight = fetch(`${gw.url}/hooks/x?id=1`).then(async (r) => [r.status, await r.text()]);
    await new Promise((r) => setTimeout(r, 50));
    const closing = gw.close();
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('connection')).toBe('close');
    expect(await inflight).toEqual([202, 'slow']);
    await closing;
    await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
  });
});
