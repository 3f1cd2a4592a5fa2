import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayEnv } from './env';
import { startGateway, type Gateway } from './gateway.server';

describe('the gateway serves the console at /admin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
  let gw: Gateway;
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(tmpdir(), 'outside-console.txt'), 'secret');
    gw = await startGateway(loadGatewayEnv({
      HUB_GATEWAY_PORT: '0', HUB_CONTROL_PLANE_URL: 'http://127.0.0.1:9', HUB_INGRESS_URL: 'http://127.0.0.1:9', HUB_CONSOLE_DIR: dir,
    }));
  });
  afterAll(async () => {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const js = await fetch(`${gw.url}/admin/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${gw.url}/admin/assets/index-abc123.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers the console routes with index.html, revalidated, with a CSP', async () => {
    for (const path of ['/admin/', '/admin/syncs/U3luYzox/deliveries', '/admin/credentials?x=1']) {
      const res = await fetch(`${gw.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain('<title>console</title>');
    }
  });

  it('redirects /admin to /admin/, refuses writes, and 404s a missing asset instead of sending the page', async () => {
    const r = await fetch(`${gw.url}/admin`, { redirect: 'manual' });
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/admin/');
    expect((await fetch(`${gw.url}/admin/`, { method: 'POST', body: 'x' })).status).toBe(405);
    const missing = await fetch(`${gw.url}/admin/assets/gone-123.js`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
  });

  it('never serves a file outside the build', async () => {
    for (const path of ['/admin/../outside-console.txt', '/admin/%2e%2e/outside-console.txt', '/admin/..%2foutside-console.txt']) {
      const res = await fetch(`${gw.url}${path}`);
      expect(await res.text()).not.toContain('secret');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    const other = await startGateway(loadGatewayEnv({
      HUB_GATEWAY_PORT: '0', HUB_CONTROL_PLANE_URL: 'http://127.0.0.1:9', HUB_INGRESS_URL: 'http://127.0.0.1:9', HUB_CONSOLE_DIR: empty,
    }));
    try {
      const res = await fetch(`${other.url}/admin/`);
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatchObject({ code: 'console_not_built' });
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
