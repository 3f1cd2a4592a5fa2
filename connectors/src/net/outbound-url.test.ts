import { checkOutboundUrl, parseAllowHosts } from './outbound-url';

describe('outbound URL policy (SSRF)', () => {
  const none = parseAllowHosts('');
  it('accepts a public https URL', () => {
    expect(checkOutboundUrl('https://acme.blueconic.net/rest/v2', none).ok).toBe(true);
  });
  it.each([
    ['http://api.copernica.com/v3', 'must use https'],
    ['https://127.0.0.1/x', 'private'],
    ['https://10.1.2.3/x', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://[::1]/x', 'private'],
    ['https://[::ffff:192.168.1.1]/x', 'private'],
    ['https://localhost/x', 'private'],
    ['https://user:pw@example.com/', 'credentials'],
    ['not a url', 'valid URL'],
  ])('refuses %s', (url, reason) => {
    const v = checkOutboundUrl(url, none);
    expect(v.ok).toBe(false);
    expect(v.ok ? '' : v.reason).toContain(reason);
  });
  it('lets the operator allow-list permit a host', () => {
    expect(checkOutboundUrl('http://127.0.0.1:4010/v3', parseAllowHosts('127.0.0.1')).ok).toBe(true);
  });
});
