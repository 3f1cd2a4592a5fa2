// The OAuth 1.0a extension for scenario 3: signed requests are accepted alongside access_token.
import { createHmac } from 'node:crypto';
import { signOAuth1Request } from '../oauth1/oauth1.sign';
import { startCopernica } from './copernica.server';
import { CopernicaHandle } from './copernica.types';

const consumer = { consumerKey: 'hub-consumer', consumerSecret: 'consumer-secret', token: 'hub-token', tokenSecret: 'token-secret' };

/** RFC 5849 §3.6 encoding, written out here so the test does not lean on the code under test. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

describe('Copernica emulator: OAuth 1.0a extension', () => {
  let now = 1_760_000_000_000;
  let cp: CopernicaHandle;

  beforeEach(async () => {
    now = 1_760_000_000_000;
    cp = await startCopernica({ accessTokens: ['tok'], oauth1: [consumer], clock: () => now });
    cp.createProfile(1, { fields: { email: 'jane@example.com' } });
  });
  afterEach(() => cp.close());

  const findUrl = () => `${cp.url}/database/1/profiles?fields%5B%5D=${enc('email==jane@example.com')}`;
  const signed = (method: string, url: string, extra: Partial<Parameters<typeof signOAuth1Request>[0]> = {}) =>
    signOAuth1Request({ method, url, credentials: consumer, timestamp: Math.floor(now / 1000), ...extra }).authorization;

  it('accepts a GET whose HMAC-SHA1 signature was computed by hand with node:crypto', async () => {
    const url = findUrl();
    const oauth: Record<string, string> = {
      oauth_consumer_key: consumer.consumerKey,
      oauth_token: consumer.token,
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: String(Math.floor(now / 1000)),
      oauth_nonce: 'hand-made-nonce',
      oauth_version: '1.0',
    };
    const params = [['fields[]', 'email==jane@example.com'], ...Object.entries(oauth)]
      .map(([k, v]) => `${enc(k)}=${enc(v)}`)
      .sort()
      .join('&');
    const base = ['GET', enc(`http://127.0.0.1:${cp.port}/v3/database/1/profiles`), enc(params)].join('&');
    const signature = createHmac('sha1', `${enc(consumer.consumerSecret)}&${enc(consumer.tokenSecret)}`).update(base).digest('base64');
    const header = 'OAuth ' + Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${k}="${enc(v)}"`).join(', ');

    const res = await fetch(url, { headers: { authorization: header } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { count: number }).count).toBe(1);
    expect(cp.requests.at(-1)).toMatchObject({ status: 200, authKind: 'oauth1' });
  });

  it('accepts a signed JSON create and a signed form-encoded update (form parameters are signed)', async () => {
    const createUrl = `${cp.url}/database/1/profiles`;
    const created = await fetch(createUrl, {
      method: 'POST',
      headers: { authorization: signed('POST', createUrl), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { email: 'new@example.com' } }),
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('x-created');

    const updateUrl = `${cp.url}/profile/${id}`;
    const form = { contentType: 'application/x-www-form-urlencoded', body: 'fields%5Bfirstname%5D=Signed' };
    const updated = await fetch(updateUrl, {
      method: 'PUT',
      headers: { authorization: signed('PUT', updateUrl, form), 'content-type': form.contentType },
      body: form.body,
    });
    expect(updated.status).toBe(204);
    expect(cp.profiles().find((p) => p.ID === id)?.fields.firstname).toBe('Signed');
  });

  it('answers 401 with a JSON reason for a wrong signature', async () => {
    const url = findUrl();
    const auth = signed('GET', url).replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"');
    const res = await fetch(url, { headers: { authorization: auth } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: expect.stringContaining('signature'), reason: 'bad_signature' } });
    expect(cp.requests.at(-1)).toMatchObject({ status: 401, authKind: 'oauth1' });
  });

  it('answers 401 when the request was tampered with after signing, even with a valid access_token', async () => {
    const auth = signed('GET', findUrl());
    const res = await fetch(findUrl() + '&access_token=tok', { headers: { authorization: auth } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { reason: 'bad_signature' } });
  });

  it('answers 401 for an unknown consumer, a stale timestamp and a replayed nonce', async () => {
    const url = findUrl();
    const stranger = signOAuth1Request({ method: 'GET', url, credentials: { consumerKey: 'x', consumerSecret: 'y' }, timestamp: now / 1000 });
    expect(await (await fetch(url, { headers: { authorization: stranger.authorization } })).json()).toMatchObject({ error: { reason: 'unknown_consumer' } });

    const stale = signed('GET', url, { timestamp: Math.floor(now / 1000) - 301 });
    const staleRes = await fetch(url, { headers: { authorization: stale } });
    expect(staleRes.status).toBe(401);
    expect(await staleRes.json()).toMatchObject({ error: { reason: 'stale_timestamp' } });

    const once = signed('GET', url, { nonce: 'only-once' });
    expect((await fetch(url, { headers: { authorization: once } })).status).toBe(200);
    const replay = await fetch(url, { headers: { authorization: once } });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { reason: 'replayed_nonce' } });
  });

  it('round-trips HMAC-SHA256 and accepts oauth_* parameters in the query', async () => {
    const url = findUrl();
    expect((await fetch(url, { headers: { authorization: signed('GET', url, { signatureMethod: 'HMAC-SHA256' }) } })).status).toBe(200);
    const { params } = signOAuth1Request({ method: 'GET', url, credentials: consumer, timestamp: now / 1000, nonce: 'q-nonce' });
    const query = Object.entries(params).map(([k, v]) => `&${k}=${enc(v)}`).join('');
    expect((await fetch(url + query)).status).toBe(200);
  });

  it('answers 400 for an unsupported signature method (RFC 5849 §3.2)', async () => {
    const url = findUrl();
    const res = await fetch(url, { headers: { authorization: signed('GET', url).replace('HMAC-SHA1', 'RSA-SHA1') } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { reason: 'unsupported_signature_method' } });
  });

  it('still accepts the real access_token without OAuth parameters', async () => {
    const res = await fetch(findUrl() + '&access_token=tok');
    expect(res.status).toBe(200);
    expect(cp.requests.at(-1)?.authKind).toBe('access_token');
  });
});
