import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayEnv } from './env';
import { startGateway, type Gateway } from './gateway.server';

describe('gateway /metrics', () => {
  let upstream: Server;
  let url: string;
  const gateways: Gateway[] = [];
  beforeAll(async () => {
    upstream = createServer((req, res) => void res.writeHead(req.url?.startsWith('/hooks') ? 202 : 200).end('{}'));
    await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    upstream.closeAllConnections();
    await new Promise((ok) => upstream.close(ok));
  });
  const start = async (extra: Record<string, string> = {}) => {
    const gw = await startGateway(loadGatewayEnv({
      HUB_GATEWAY_PORT: '0', HUB_CONTROL_PLANE_URL: url, HUB_INGRESS_URL: url, HUB_GATEWAY_DRAIN_GRACE_MS: '0', HUB_GATEWAY_PROBE_INTERVAL_MS: '100', ...extra,
    }));
    gateways.push(gw);
    return gw;
  };

  it('counts requests by route and status, never by path, for a Prometheus on the private network', async () => {
    const gw = await start();
    expect((await fetch(`${gw.url}/hooks/dhk_secretkeymaterial?id=1`)).status).toBe(202);
    expect((await fetch(`${gw.url}/nowhere`)).status).toBe(404);
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/hub_http_requests_total\{route="\/hooks",code="202",service="gateway"\} [1-9]/);
    expect(text).toMatch(/hub_http_requests_total\{route="other",code="404",service="gateway"\} [1-9]/);
    expect(text).toContain('hub_process_cpu_seconds_total');
    expect(text).not.toContain('dhk_');
  });

  it('does not publish /metrics to clients outside HUB_GATEWAY_METRICS_FROM, nor to a public client behind a trusted proxy', async () => {
    const closed = await start({ HUB_GATEWAY_METRICS_FROM: '10.0.0.0/8' });
    expect((await fetch(`${closed.url}/metrics`)).status).toBe(404);
    const behindProxy = await start({ HUB_GATEWAY_TRUSTED_PROXIES: '127.0.0.1' });
    expect((await fetch(`${behindProxy.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(404);
    expect((await fetch(`${behindProxy.url}/metrics`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(200);
  });
});
