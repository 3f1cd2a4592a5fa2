import { baseStringUri, normalizeParameters, parameterSources, signatureBaseString, signedParameters } from './oauth1.base-string';
import { percentEncode } from './oauth1.encode';

// RFC 5849 §3.4.1.1 / §3.4.1.3: the example request, verbatim.
const rfcRequest = {
  method: 'POST',
  url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  authorization:
    'OAuth realm="Example",\n' +
    '               oauth_consumer_key="9djdj82h48djs9d2",\n' +
    '               oauth_token="kkk9d7dh3k39sjv7",\n' +
    '               oauth_signature_method="HMAC-SHA1",\n' +
    '               oauth_timestamp="137131201",\n' +
    '               oauth_nonce="7d8f3e4a",\n' +
    '               oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
  contentType: 'application/x-www-form-urlencoded',
  body: 'c2&a3=2+q',
};

describe('RFC 5849 signature base string', () => {
  it('builds the §3.4.1.1 example base string exactly', () => {
    expect(signatureBaseString(rfcRequest)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
        '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
        'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
        'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
        '9d7dh3k39sjv7',
    );
  });

  it('collects the §3.4.1.3.1 decoded parameters (realm and oauth_signature excluded, "+" is a space)', () => {
    const pairs = signedParameters(parameterSources(rfcRequest));
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['b5', '=%3D'],
        ['a3', 'a'],
        ['c@', ''],
        ['a2', 'r b'],
        ['c2', ''],
        ['a3', '2 q'],
        ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ]),
    );
    expect(pairs).toHaveLength(11);
    expect(pairs.map(([n]) => n)).not.toContain('realm');
    expect(pairs.map(([n]) => n)).not.toContain('oauth_signature');
  });

  it('normalizes parameters as in §3.4.1.3.2', () => {
    expect(normalizeParameters(signedParameters(parameterSources(rfcRequest)))).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9dj' +
        'dj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1' +
        '&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('builds the §3.4.1.2 base string URIs (lowercase host, default port dropped, other ports kept)', () => {
    expect(baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
    expect(baseStringUri('HTTPS://Example.com:443/a')).toBe('https://example.com/a');
    expect(baseStringUri('http://127.0.0.1:54321/v3/profile/1')).toBe('http://127.0.0.1:54321/v3/profile/1');
  });

  it('ignores the body when the content type is not form-encoded', () => {
    const asJson = { ...rfcRequest, contentType: 'application/json', body: '{"c2":1}' };
    expect(signatureBaseString(asJson)).not.toContain('c2');
  });
});

describe('RFC 5849 §3.6 percent-encoding', () => {
  it.each([
    ['abcABC123-._~', 'abcABC123-._~'],
    ['Ladies + Gentlemen', 'Ladies%20%2B%20Gentlemen'],
    ["!*'()", '%21%2A%27%28%29'],
    ['An encoded string!', 'An%20encoded%20string%21'],
    ['Dogs, Cats & Mice', 'Dogs%2C%20Cats%20%26%20Mice'],
    ['☃', '%E2%98%83'],
  ])('encodes %j as %j', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });
});
