import { signatureBaseString } from './oauth1.base-string';
import { NonceCache } from './oauth1.nonce';
import { signOAuth1Request } from './oauth1.sign';
import { computeSignature } from './oauth1.signature';
import { credentialLookup, OAuth1Credentials, verifyOAuth1Request } from './oauth1.verify';

// RFC 5849 §1.2: client credentials of printer.example.com at photos.example.net.
const printer = { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44' };
const temporary: OAuth1Credentials = { ...printer, token: 'hh5s93j4hdidpola', tokenSecret: 'hdhd0244k9j7ao03' };
const jane: OAuth1Credentials = { ...printer, token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' };
const lookup = credentialLookup([printer, temporary, jane, { consumerKey: 'jd83jd92dhsh93js', consumerSecret: 'ja893SD9' }]);
const at = (sec: number) => () => sec * 1000;

describe('verifyOAuth1Request with the RFC 5849 §1.2 requests, verbatim', () => {
  it('accepts the temporary credential request (POST /initiate, HMAC-SHA1, no token)', () => {
    const result = verifyOAuth1Request(
      {
        method: 'POST',
        url: 'https://photos.example.net/initiate',
        authorization:
          'OAuth realm="Photos",\n   oauth_consumer_key="dpf43f3p2l4k3l03",\n   oauth_signature_method="HMAC-SHA1",\n' +
          '   oauth_timestamp="137131200",\n   oauth_nonce="wIjqoS",\n' +
          '   oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready",\n   oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"',
      },
      { lookup, now: at(137131200) },
    );
    expect(result).toMatchObject({ ok: true, consumerKey: 'dpf43f3p2l4k3l03' });
  });

  it('accepts the token request (POST /token, temporary token and verifier)', () => {
    const result = verifyOAuth1Request(
      {
        method: 'POST',
        url: 'https://photos.example.net/token',
        authorization:
          'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="hh5s93j4hdidpola", ' +
          'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="walatlh", ' +
          'oauth_verifier="hfdp7dh39dks9884", oauth_signature="gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D"',
      },
      { lookup, now: at(137131201) },
    );
    expect(result).toMatchObject({ ok: true, token: 'hh5s93j4hdidpola' });
  });

  it('accepts the protected resource request (GET /photos) with signature MdpQcU8iPSUjWoN/UDMsK2sui9I=', () => {
    const request = {
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      authorization:
        'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ' +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", ' +
        'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
    };
    expect(computeSignature('HMAC-SHA1', signatureBaseString(request), jane.consumerSecret, jane.tokenSecret)).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    expect(verifyOAuth1Request(request, { lookup, now: at(137131202) })).toMatchObject({ ok: true, token: 'nnch734d00sl2jdk' });
  });

  it('accepts the §2.1 PLAINTEXT request, which carries no timestamp or nonce', () => {
    const result = verifyOAuth1Request(
      {
        method: 'POST',
        url: 'https://server.example.com/request_temp_credentials',
        authorization:
          'OAuth realm="Example", oauth_consumer_key="jd83jd92dhsh93js", oauth_signature_method="PLAINTEXT", ' +
          'oauth_callback="http%3A%2F%2Fclient.example.net%2Fcb%3Fx%3D1", oauth_signature="ja893SD9%26"',
      },
      { lookup },
    );
    expect(result).toMatchObject({ ok: true, signatureMethod: 'PLAINTEXT' });
  });
});

describe('the photos.example.net vector of OAuth Core 1.0 Appendix A.5 (the RFC\'s predecessor)', () => {
  // Same credentials as RFC 5849 §1.2, but timestamp 1191242096, nonce kllo9940pd9333jh and
  // oauth_version=1.0; the brief cited it as "§1.2", but it comes from the community spec.
  const request = {
    method: 'GET',
    url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
    authorization:
      'OAuth realm="http://photos.example.net/", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", ' +
      'oauth_timestamp="1191242096", oauth_nonce="kllo9940pd9333jh", oauth_version="1.0"',
  };

  it('builds the Appendix A.5.1 base string', () => {
    expect(signatureBaseString(request)).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26' +
        'oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26' +
        'oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
  });

  it('yields signature tR3+Ty81lMeYAr/Fid0kMTYa/WM= and verifies', () => {
    expect(computeSignature('HMAC-SHA1', signatureBaseString(request), jane.consumerSecret, jane.tokenSecret)).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
    expect(verifyOAuth1Request(request, { lookup, now: at(1191242096) })).toMatchObject({ ok: true });
  });
});

describe('verifyOAuth1Request rejections', () => {
  const url = 'http://127.0.0.1:8080/v3/database/1/profiles?fields%5B%5D=email%3D%3Djane%40example.com';
  const now = 1_700_000_000;
  const signed = (over: Partial<Parameters<typeof signOAuth1Request>[0]> = {}) =>
    signOAuth1Request({ method: 'GET', url, credentials: jane, timestamp: now, nonce: 'n-1', ...over });

  it('accepts an untouched signed request', () => {
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: signed().authorization }, { lookup, now: at(now) })).toMatchObject({ ok: true });
  });

  it('rejects a tampered query parameter with 401 bad_signature', () => {
    const tampered = url.replace('jane', 'john');
    expect(verifyOAuth1Request({ method: 'GET', url: tampered, authorization: signed().authorization }, { lookup, now: at(now) })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
      status: 401,
    });
  });

  it('rejects a tampered method, and a tampered form body parameter', () => {
    expect(verifyOAuth1Request({ method: 'DELETE', url, authorization: signed().authorization }, { lookup, now: at(now) })).toMatchObject({ reason: 'bad_signature' });
    const form = { contentType: 'application/x-www-form-urlencoded', body: 'fields%5Bemail%5D=a%40b.c' };
    const auth = signed({ method: 'POST', ...form }).authorization;
    expect(verifyOAuth1Request({ method: 'POST', url, authorization: auth, ...form }, { lookup, now: at(now) })).toMatchObject({ ok: true });
    expect(verifyOAuth1Request({ method: 'POST', url, authorization: auth, ...form, body: 'fields%5Bemail%5D=x%40b.c' }, { lookup, now: at(now) })).toMatchObject({ reason: 'bad_signature' });
  });

  it('rejects a signature made with the wrong consumer secret or token secret', () => {
    for (const credentials of [{ ...jane, consumerSecret: 'wrong' }, { ...jane, tokenSecret: 'wrong' }]) {
      const { authorization } = signed({ credentials });
      expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now) })).toMatchObject({ reason: 'bad_signature', status: 401 });
    }
  });

  it('rejects a timestamp outside ±300 s, in either direction, and accepts one just inside', () => {
    const { authorization } = signed();
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now + 301) })).toMatchObject({ reason: 'stale_timestamp', status: 401 });
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now - 301) })).toMatchObject({ reason: 'stale_timestamp' });
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now + 300) })).toMatchObject({ ok: true });
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now + 30), toleranceSec: 10 })).toMatchObject({ reason: 'stale_timestamp' });
  });

  it('rejects a replayed nonce for the same consumer and timestamp, but not a new nonce', () => {
    const nonces = new NonceCache();
    const { authorization } = signed();
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now), nonces })).toMatchObject({ ok: true });
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now), nonces })).toMatchObject({ reason: 'replayed_nonce', status: 401 });
    const fresh = signed({ nonce: 'n-2' }).authorization;
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: fresh }, { lookup, now: at(now), nonces })).toMatchObject({ ok: true });
  });

  it('does not let a forged request burn a nonce', () => {
    const nonces = new NonceCache();
    const forged = signed({ credentials: { ...jane, consumerSecret: 'wrong' } }).authorization;
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: forged }, { lookup, now: at(now), nonces })).toMatchObject({ reason: 'bad_signature' });
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: signed().authorization }, { lookup, now: at(now), nonces })).toMatchObject({ ok: true });
  });

  it('round-trips HMAC-SHA256 and rejects it when tampered', () => {
    const { authorization, params } = signed({ signatureMethod: 'HMAC-SHA256' });
    expect(Buffer.from(params.oauth_signature, 'base64')).toHaveLength(32);
    expect(verifyOAuth1Request({ method: 'GET', url, authorization }, { lookup, now: at(now) })).toMatchObject({ ok: true, signatureMethod: 'HMAC-SHA256' });
    expect(verifyOAuth1Request({ method: 'GET', url: url + 'x', authorization }, { lookup, now: at(now) })).toMatchObject({ reason: 'bad_signature' });
  });

  it('rejects an unknown consumer and an unknown token with 401', () => {
    const stranger = signed({ credentials: { consumerKey: 'nobody', consumerSecret: 's' } }).authorization;
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: stranger }, { lookup, now: at(now) })).toMatchObject({ reason: 'unknown_consumer', status: 401 });
    const badToken = signed({ credentials: { ...jane, token: 'other' } }).authorization;
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: badToken }, { lookup, now: at(now) })).toMatchObject({ reason: 'unknown_token', status: 401 });
  });

  it('rejects malformed requests with 400 (RFC 5849 §3.2): unsupported method, missing or duplicated parameters', () => {
    const rsa = signed().authorization.replace('HMAC-SHA1', 'RSA-SHA1');
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: rsa }, { lookup, now: at(now) })).toMatchObject({ reason: 'unsupported_signature_method', status: 400 });
    const noNonce = signed().authorization.replace(/oauth_nonce="[^"]*", /, '');
    expect(verifyOAuth1Request({ method: 'GET', url, authorization: noNonce }, { lookup, now: at(now) })).toMatchObject({ reason: 'missing_parameter', status: 400 });
    const { authorization } = signed();
    expect(verifyOAuth1Request({ method: 'GET', url: url + '&oauth_nonce=n-1', authorization }, { lookup, now: at(now) })).toMatchObject({ reason: 'duplicate_parameter', status: 400 });
  });

  it('accepts protocol parameters sent in the query instead of the header', () => {
    const { params } = signed({ url: 'http://127.0.0.1:8080/v3/profile/7' });
    const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    expect(verifyOAuth1Request({ method: 'GET', url: `http://127.0.0.1:8080/v3/profile/7?${query}` }, { lookup, now: at(now) })).toMatchObject({ ok: true });
  });
});
