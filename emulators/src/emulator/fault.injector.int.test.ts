// Every fault kind, switched on and off through the handle and through the HTTP control endpoints.
import { startBlueConic } from '../blueconic/blueconic.server';
import { BlueConicHandle } from '../blueconic/blueconic.types';
import { startCopernica } from '../copernica/copernica.server';
import { CopernicaHandle } from '../copernica/copernica.types';
import type { FaultRule } from './emulator.types';

describe('fault injection', () => {
  let cp: CopernicaHandle;
  const find = () => fetch(`${cp.url}/database/1/profiles?access_token=datahub-token`);
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${cp.origin}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeEach(async () => {
    cp = await startCopernica();
  });
  afterEach(() => cp.close());

  // Each kind runs twice: once set through the handle, once through POST /_emulator/faults.
  const viaHandle = async (rule: FaultRule) => cp.faults.add(rule);
  const viaHttp = async (rule: FaultRule) => expect((await control('POST', '/faults', rule)).status).toBe(201);
  const clearViaHandle = async () => cp.faults.clear();
  const clearViaHttp = async () => expect((await control('DELETE', '/faults')).status).toBe(204);

  describe.each([
    ['the handle', viaHandle, clearViaHandle],
    ['the control endpoints', viaHttp, clearViaHttp],
  ])('set through %s', (_name, add, clear) => {
    it('answers a status for `times` requests, then normally', async () => {
      await add({ status: 503, times: 2 });
      expect((await find()).status).toBe(503);
      const second = await find();
      expect(second.status).toBe(503);
      expect(await second.json()).toEqual({ error: { message: 'fault injected by the emulator' } });
      expect((await find()).status).toBe(200);
      expect(cp.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    });

    it('answers 429 with Retry-After until cleared', async () => {
      await add({ status: 429, retryAfterSec: 7, body: { error: { message: 'slow down' } } });
      for (let i = 0; i < 3; i++) {
        const res = await find();
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('7');
        expect(await res.json()).toEqual({ error: { message: 'slow down' } });
      }
      await clear();
      const res = await find();
      expect(res.status).toBe(200);
      expect(res.headers.get('retry-after')).toBeNull();
    });

    it('delays by latencyMs and then answers normally', async () => {
      await add({ latencyMs: 1000, pathPattern: '/profiles$' });
      const started = Date.now();
      const res = await find();
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      await clear();
      const again = Date.now();
      await find();
      // Only the delay is asserted away, not a speed: a loaded machine may still take a while.
      expect(Date.now() - again).toBeLessThan(990);
    });

    it('resets the connection, then serves again once the rule is used up', async () => {
      await add({ resetConnection: true, times: 1 });
      await expect(find()).rejects.toThrow();
      expect((await find()).status).toBe(200);
      expect(cp.requests.map((r) => r.status)).toEqual([0, 200]);
    });
  });

  it('matches only the given method and path pattern', async () => {
    cp.faults.add({ method: 'POST', pathPattern: '^/v3/database/\\d+/profiles$', status: 500 });
    expect((await find()).status).toBe(200);
    const post = await fetch(`${cp.url}/database/1/profiles?access_token=datahub-token`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(500);
  });

  it('never faults the control endpoints, which need no credentials', async () => {
    cp.faults.add({ status: 500 });
    cp.faults.add({ resetConnection: true });
    const res = await control('GET', '/faults');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ faults: [{ status: 500 }, { resetConnection: true }] });
    expect((await control('GET', '/state')).status).toBe(200);
  });

  it('rejects an invalid rule with 400', async () => {
    const res = await control('POST', '/faults', { status: 'soon' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'status must be an integer from 100 to 599' });
  });

  it('exposes state and requests, and resets everything through POST /_emulator/reset', async () => {
    cp.createProfile(1, { fields: { email: 'a@example.com' } });
    await find();
    cp.faults.add({ status: 500 });
    const state = (await (await control('GET', '/state')).json()) as { profiles: unknown[]; databases: unknown[] };
    expect(state.profiles).toHaveLength(1);
    expect(state.databases).toEqual([{ id: 1, name: 'datahub', fields: ['email', 'firstname', 'lastname'], interests: [] }]);
    const requests = (await (await control('GET', '/requests')).json()) as Array<{ path: string; status: number; authKind: string }>;
    expect(requests).toEqual([expect.objectContaining({ path: '/v3/database/1/profiles', status: 200, authKind: 'access_token' })]);

    expect((await control('POST', '/reset')).status).toBe(204);
    expect(cp.profiles()).toEqual([]);
    expect(cp.faults.active()).toEqual([]);
    expect(cp.requests).toEqual([]);
  });

  describe('on BlueConic', () => {
    let bc: BlueConicHandle;
    beforeEach(async () => {
      bc = await startBlueConic();
    });
    afterEach(() => bc.close());

    it('uses the vendor error shape for injected statuses and 404s unknown routes with JSON', async () => {
      bc.faults.add({ pathPattern: '/oauth/token', status: 503, times: 1 });
      const res = await fetch(`${bc.url}/oauth/token`, { method: 'POST' });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ code: 503, message: 'fault injected by the emulator', errors: [{ message: 'fault injected by the emulator' }] });
      const unknown = await fetch(`${bc.origin}/nothing/here`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toBe('application/json');
    });
  });
});
