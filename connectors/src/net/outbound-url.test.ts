import { checkOutboundUrl, isForbiddenAddress, parseAllowHosts } from './outbound-url';

const PRIVATE = 'private, loopback, link-local or metadata';

describe('outbound URL policy (SSRF)', () => {
  const none = parseAllowHosts('');

  // What the WHATWG URL parser turns each host into is noted where it rewrites it: the policy
  // judges the parsed host, so these numeric and IPv6 spellings cannot slip past it.
  const hostile: [string, string][] = [
    // cloud metadata, by address and by name
    ['https://169.254.169.254/latest/meta-data/', PRIVATE],
    ['https://metadata.google.internal/computeMetadata/v1/', PRIVATE],
    ['https://metadata/computeMetadata/v1/', PRIVATE],
    ['https://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/', PRIVATE],
    ['https://100.100.100.200/latest/meta-data/', PRIVATE], // Alibaba Cloud, inside CGNAT 100.64/10
    ['https://[fd00:ec2::254]/latest/meta-data/', PRIVATE], // AWS IMDS over IPv6, unique-local
    // loopback and private by name and address
    ['https://localhost/x', PRIVATE],
    ['https://localhost./x', PRIVATE],
    ['https://LocalHost/x', PRIVATE],
    ['https://\u24dbocalhost/x', PRIVATE], // circled ⓛ: IDNA maps it to "localhost"
    ['https://api.localhost/x', PRIVATE],
    ['https://a.b.localhost/x', PRIVATE],
    ['https://127.0.0.1/x', PRIVATE],
    ['https://127.0.0.1./x', PRIVATE], // → 127.0.0.1
    ['https://10.1.2.3/x', PRIVATE],
    ['https://172.16.0.1/x', PRIVATE],
    ['https://172.31.255.254/x', PRIVATE],
    ['https://192.168.1.1/x', PRIVATE],
    ['https://100.64.0.1/x', PRIVATE],
    ['https://0.0.0.0/x', PRIVATE],
    ['https://0/x', PRIVATE], // → 0.0.0.0
    ['https://192.0.0.170/x', PRIVATE], // 192.0.0.0/24, IETF protocol assignments
    ['https://198.18.0.1/x', PRIVATE], // benchmarking
    ['https://192.0.2.10/x', PRIVATE], // TEST-NET-1
    ['https://203.0.113.7/x', PRIVATE], // TEST-NET-3
    ['https://224.0.0.1/x', PRIVATE],
    ['https://255.255.255.255/x', PRIVATE],
    ['https://240.0.0.1/x', PRIVATE],
    // numeric IPv4 spellings, all → 127.0.0.1 or 10.0.0.1
    ['https://2130706433/x', PRIVATE],
    ['https://0x7f000001/x', PRIVATE],
    ['https://0177.0.0.1/x', PRIVATE],
    ['https://0x7f.1/x', PRIVATE],
    ['https://127.1/x', PRIVATE],
    ['https://017700000001/x', PRIVATE],
    ['https://%31%32%37.0.0.1/x', PRIVATE],
    ['https://0x0a.0.0.1/x', PRIVATE],
    // IPv6 spellings
    ['https://[::1]/x', PRIVATE],
    ['https://[::]/x', PRIVATE],
    ['https://[::ffff:127.0.0.1]/x', PRIVATE], // → [::ffff:7f00:1]
    ['https://[::ffff:7f00:1]/x', PRIVATE],
    ['https://[0:0:0:0:0:ffff:7f00:1]/x', PRIVATE], // → [::ffff:7f00:1]
    ['https://[::ffff:192.168.1.1]/x', PRIVATE],
    ['https://[::ffff:a9fe:a9fe]/x', PRIVATE], // mapped 169.254.169.254
    ['https://[::127.0.0.1]/x', PRIVATE], // → [::7f00:1], IPv4-compatible
    ['https://[64:ff9b::a9fe:a9fe]/x', PRIVATE], // NAT64 of 169.254.169.254
    ['https://[64:ff9b::127.0.0.1]/x', PRIVATE], // → [64:ff9b::7f00:1]
    ['https://[2002:7f00:1::]/x', PRIVATE], // 6to4 of 127.0.0.1
    ['https://[2002:a9fe:a9fe::1]/x', PRIVATE], // 6to4 of 169.254.169.254
    ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x', PRIVATE], // Teredo, client 127.0.0.1
    ['https://[fe80::1]/x', PRIVATE],
    ['https://[fc00::1]/x', PRIVATE],
    ['https://[ff02::1]/x', PRIVATE],
    ['https://[2001:db8::1]/x', PRIVATE],
    // scheme and credentials
    ['http://api.copernica.com/v3', 'must use https'],
    ['http://2130706433/x', 'must use https'],
    ['ftp://example.com/x', 'must use https'],
    ['file:///etc/passwd', 'must use https'],
    ['https://user:pw@example.com/', 'credentials'],
    ['https://user@example.com/', 'credentials'],
    ['https://example.com@169.254.169.254/', 'credentials'],
    ['not a url', 'valid URL'],
    ['https://[fe80::1%25eth0]/x', 'valid URL'],
    ['https://127.0.0.1%00.example.com/x', 'valid URL'],
  ];

  it('has a corpus of at least 25 hostile URLs', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(25);
  });

  it.each(hostile)('refuses %s', (url, reason) => {
    const v = checkOutboundUrl(url, none);
    expect(v.ok).toBe(false);
    expect(v.ok ? '' : v.reason).toContain(reason);
  });

  it.each([
    'https://acme.blueconic.net/rest/v2',
    'https://api.hubapi.com/crm/v3/objects/contacts',
    'https://api.copernica.com/v3/databases',
    'https://8.8.8.8/dns-query',
    'https://[2606:4700:4700::1111]/dns-query',
    'https://[::ffff:8.8.8.8]/x',
    'https://[64:ff9b::808:808]/x',
    // A name is not resolved here: that it points at 169.254.169.254 is caught at connect time.
    'https://169.254.169.254.nip.io/x',
  ])('accepts %s', (url) => {
    expect(checkOutboundUrl(url, none).ok).toBe(true);
  });

  it('lets the operator allow-list permit a host, with http', () => {
    expect(checkOutboundUrl('http://127.0.0.1:4010/v3', parseAllowHosts('127.0.0.1')).ok).toBe(true);
    expect(checkOutboundUrl('http://[::1]:4010/v3', parseAllowHosts(' ::1 , emulator.test')).ok).toBe(true);
    expect(checkOutboundUrl('http://Emulator.Test:4010/v3', parseAllowHosts(' ::1 , emulator.test')).ok).toBe(true);
  });

  it('still refuses credentials for an allow-listed host', () => {
    expect(checkOutboundUrl('http://u:p@127.0.0.1/', parseAllowHosts('127.0.0.1')).ok).toBe(false);
  });
});

describe('isForbiddenAddress', () => {
  it.each([
    // RFC 6890 special-purpose blocks, IPv4
    '0.1.2.3', '10.0.0.1', '100.64.0.0', '100.127.255.255', '127.0.0.1', '127.255.255.254', '169.254.0.1',
    '172.16.0.0', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.0.1', '198.18.0.0',
    '198.19.255.255', '198.51.100.1', '203.0.113.1', '224.0.0.251', '239.255.255.250', '240.0.0.0', '255.255.255.255',
    // IPv6
    '::', '::1', 'fe80::1', 'febf::1', 'fe80::1%eth0', 'fc00::', 'fdff:ffff::1', 'ff02::1', '2001:db8::', '100::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '::7f00:1', '::8.8.8.8', '::1.2.3.4',
    '::ffff:0:7f00:1', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::808:808',
    '2002:7f00:1::', '2002:c0a8:101::1', '2001:2::1',
    // RFC 6052 §2.4 example: 192.0.2.33 (documentation) behind the well-known NAT64 prefix
    '64:ff9b::192.0.2.33',
    // Teredo (RFC 4380) example: server 65.54.227.120, client 192.0.2.45 (documentation)
    '2001:0000:4136:e378:8000:63bf:3fff:fdd2',
    // Teredo with client 127.0.0.1
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
  ])('forbids %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8', '1.1.1.1', '93.184.215.14', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0',
    '192.167.255.255', '198.17.255.255', '198.20.0.0', '223.255.255.255',
    '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1',
    // Teredo, server 65.54.227.120, client 8.8.8.8
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ])('allows public %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it('leaves names to the resolver', () => {
    expect(isForbiddenAddress('api.example.com')).toBe(false);
    expect(isForbiddenAddress('0177.0.0.1')).toBe(false); // not an address to net.connect: resolved, then checked
  });
});
