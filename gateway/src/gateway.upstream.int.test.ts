import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayEnv } from './env';
import { startGateway, type Gateway } from './gateway.server';

/** An upstream that accepts the request and never answers must not hold the client for ever. */
describe('gateway upstream timeout', () => {
  let hung: Server;
  let gateway: Gateway;

  beforeAll(async () => {
    hung = createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const upstream = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    gateway = await startGateway(loadGatewayEnv({
      HUB_GATEWAY_PORT: '0', HUB_CONTROL_PLANE_URL: upstream, HUB_INGRESS_URL: upstream, HUB_GATEWAY_UPSTREAM_TIMEOUT_MS: '300', HUB_GATEWAY_DRAIN_GRACE_MS: '0',
    }));
  });
  afterAll(async () => {
    await gateway?.close();
    hung.closeAllConnections();
    await new Promise((r) => hung.close(r));
  });

  it('answers 504 upstream_timeout once the upstream has been silent for the configured time', async () => {
    const started = Date.now();
    const res = await fetch(`${gateway.url}/hooks/dhk_x?id=1`);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('gateway with its upstream gone', () => {
  it('answers 503 with Retry-After (what webhook senders retry), not a reset', async () => {
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const upstream = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise((r) => gone.close(r));
    const gateway = await startGateway(loadGatewayEnv({ HUB_GATEWAY_PORT: '0', HUB_CONTROL_PLANE_URL: upstream, HUB_INGRESS_URL: upstream, HUB_GATEWAY_DRAIN_GRACE_MS: '0' }));
    try {
      const res = await fetch(`${gateway.url}/hooks/dhk_x?id=1`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_unavailable');
    } finally {
      await gateway.close();
    }
  });
});
