import { createHmac } from 'node:crypto';
import { startSink } from './sink.server';
import type { SinkHandle } from './sink.types';

// The Standard Webhooks specification's published test vector.
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SW_BODY = '{"test": 2432232314}';
const SW_HEADERS = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };

describe('webhook sink emulator', () => {
  let sink: SinkHandle;
  beforeEach(async () => {
    sink = await startSink({ channels: { guide: { hmacHeader: 'X-SportsStack-Signature', hmacSecrets: ['old-secret', 'new-secret'] }, sw: { standardWebhooksSecrets: [SW_SECRET] } } });
  });
  afterEach(() => sink.close());

  const post = (channel: string, body: string, headers: Record<string, string> = {}) =>
    fetch(sink.hookUrl(channel), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('records what arrives and shows it in the list and by id', async () => {
    const res = await post('a', '{"stream":"change_log"}', { 'x-extra': '1' });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const list = (await (await fetch(`${sink.origin}/deliveries?channel=a`)).json()) as { total: number; deliveries: { id: string }[] };
    expect(list.total).toBe(1);
    const one = (await (await fetch(`${sink.origin}/deliveries/${id}`)).json()) as { json: unknown; headers: Record<string, string>; rawBody: string };
    expect(one.json).toEqual({ stream: 'change_log' });
    expect(one.rawBody).toBe('{"stream":"change_log"}');
    expect(one.headers['x-extra']).toBe('1');
    expect((await fetch(`${sink.origin}/deliveries/dlv_999`)).status).toBe(404);
    expect(sink.deliveries('other')).toHaveLength(0);
  });

  it('verifies the Standard Webhooks published vector and refuses a changed body', async () => {
    await post('sw', SW_BODY, SW_HEADERS);
    await post('sw', SW_BODY.replace('4', '5'), SW_HEADERS);
    expect(sink.deliveries('sw').map((d) => d.verification.standardWebhooks)).toEqual([true, false]);
    expect(sink.deliveries('sw')[0]!.verification.hmac).toBeNull();
  });

  it('verifies the guide\'s hex HMAC with any secret of a rotation', async () => {
    const body = '{"batch_size":1}';
    await post('guide', body, { 'x-sportsstack-signature': createHmac('sha256', 'new-secret').update(body).digest('hex') });
    await post('guide', body, { 'x-sportsstack-signature': createHmac('sha256', 'stranger').update(body).digest('hex') });
    await post('guide', body);
    expect(sink.deliveries('guide').map((d) => d.verification.hmac)).toEqual([true, false, false]);
  });

  it('channels can be configured over HTTP', async () => {
    const put = await fetch(`${sink.origin}/channels/late`, { method: 'PUT', body: JSON.stringify({ standardWebhooksSecrets: [SW_SECRET] }), headers: { 'content-type': 'application/json' } });
    expect(put.status).toBe(200);
    await post('late', SW_BODY, SW_HEADERS);
    expect(sink.deliveries('late')[0]!.verification.standardWebhooks).toBe(true);
    expect((await fetch(`${sink.origin}/channels/x`, { method: 'PUT', body: '{"hmacSecrets":"no"}', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('injects 5xx, latency and resets; a faulted request is not a delivery', async () => {
    sink.faults.add({ pathPattern: '^/hooks/', status: 503, times: 1 });
    sink.faults.add({ pathPattern: '^/hooks/', resetConnection: true, times: 1 });
    expect((await post('f', '{}')).status).toBe(503);
    await expect(post('f', '{}')).rejects.toThrow();
    sink.faults.add({ pathPattern: '^/hooks/', latencyMs: 300, times: 1 });
    const started = Date.now();
    expect((await post('f', '{}')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sink.deliveries('f')).toHaveLength(1);
    expect(sink.requests.filter((r) => r.path === '/hooks/f').map((r) => r.status)).toEqual([503, 0, 200]);
  });

  it('keeps a body that is not JSON', async () => {
    expect((await post('raw', 'not json')).status).toBe(200);
    expect(sink.deliveries('raw')[0]).toMatchObject({ rawBody: 'not json', json: null });
  });
});
