import { captureRequest, REDACTED } from './request.capture';

const req = (headers: Record<string, string>, query: [string, string][] = []) => ({ method: 'PUT', url: new URL('https://api.example.com/v3/database/1/profiles'), query, headers });

describe('captureRequest (what a sandbox run shows)', () => {
  it('redacts an API key sent in the query, keeping the rest of the URL', () => {
    const c = captureRequest(req({ accept: 'application/json' }, [['fields[]', 'email==a@b.c'], ['access_token', 's3cr3t-token']]), { a: 1 }, { kind: 'api_key', key: 's3cr3t-token', in: 'query', name: 'access_token' }, null, false);
    expect(c.url).toBe(`https://api.example.com/v3/database/1/profiles?fields%5B%5D=email%3D%3Da%40b.c&access_token=${REDACTED}`);
    expect(JSON.stringify(c)).not.toContain('s3cr3t-token');
    expect(c).toMatchObject({ method: 'PUT', body: { a: 1 }, sent: false, headers: { 'content-type': 'application/json' } });
  });

  it('keeps the scheme of an Authorization header and hides its value, and any header carrying a secret', () => {
    const c = captureRequest(req({ authorization: 'Bearer tok-12345', 'x-custom': 'prefix tok-12345' }), undefined, { kind: 'bearer', token: 'tok-12345' }, null, true);
    expect(c.headers).toEqual({ authorization: `Bearer ${REDACTED}`, 'x-custom': `prefix ${REDACTED}` });
    expect(c.body).toBeNull();
  });

  it('shows an OAuth 1.0a header and base string with the signature and secrets hidden, the consumer key kept', () => {
    const header = 'OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="abc%3D", oauth_signature_method="HMAC-SHA1"';
    const base = 'PUT&https%3A%2F%2Fapi.example.com&oauth_consumer_key%3Dck%26x%3Dconsumer-secret-value';
    const c = captureRequest(req({ authorization: header }), {}, { kind: 'oauth1', consumerKey: 'ck', consumerSecret: 'consumer-secret-value', signatureMethod: 'HMAC-SHA1' }, base, false);
    expect(c.headers.authorization).toBe(`OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="${REDACTED}", oauth_signature_method="HMAC-SHA1"`);
    expect(c.signatureBaseString).toBe(`PUT&https%3A%2F%2Fapi.example.com&oauth_consumer_key%3Dck%26x%3D${REDACTED}`);
  });
});
