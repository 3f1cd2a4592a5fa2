import { clientAddress, parseTrustedProxies } from './client.address';
import { routeFor } from './gateway.server';
import { inboundKeyLookup } from './rate.limits';
import { mayFailOver } from './upstream.pool';
import { mintToken } from '@datahub/connectors/dist/edge';

describe('gateway routing', () => {
  it('routes /graphql to the control plane and /hooks to ingress, nothing else', () => {
    expect(routeFor('/graphql')).toBe('graphql');
    expect(routeFor('/hooks/dhk_abc?id=1')).toBe('hooks');
    expect(routeFor('/hooksxyz')).toBeNull();
    expect(routeFor('/admin')).toBeNull();
  });
});

describe('forwarded client address', () => {
  const lb = parseTrustedProxies('10.0.0.0/8, 192.168.7.7');

  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddress('10.0.0.9', '1.2.3.4', [])).toBe('10.0.0.9');
  });
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress('8.8.8.8', '1.2.3.4', lb)).toBe('8.8.8.8');
  });
  it('takes the address the trusted proxy saw, not what the client claims', () => {
    expect(clientAddress('10.0.0.9', '6.6.6.6, 1.2.3.4', lb)).toBe('1.2.3.4');
    // Through two trusted hops (one written as IPv4-mapped IPv6).
    expect(clientAddress('::ffff:10.0.0.9', '6.6.6.6, 1.2.3.4, 192.168.7.7', lb)).toBe('1.2.3.4');
    expect(clientAddress('10.0.0.9', 'garbage, 1.2.3.4', lb)).toBe('1.2.3.4');
  });
  it('refuses a malformed range at start-up', () => {
    expect(() => parseTrustedProxies('10.0.0.0/99')).toThrow(/HUB_GATEWAY_TRUSTED_PROXIES/);
  });
});

describe('rate-limit key', () => {
  it('counts a webhook under its inbound key lookup id, wherever the key is presented, never the secret', () => {
    const { token, lookup } = mintToken('dhk');
    expect(inboundKeyLookup(`/hooks/${token}?id=1`, {})).toBe(lookup);
    expect(inboundKeyLookup('/hooks', { 'api-key': token })).toBe(lookup);
    expect(inboundKeyLookup('/hooks', { authorization: `Bearer ${token}` })).toBe(lookup);
    expect(inboundKeyLookup('/hooks/dhk_notakey', {})).toBeNull();
  });
});

describe('failover', () => {
  it('moves on after a refused connection always, after a cut one only where the route allows it', () => {
    expect(mayFailOver(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), false)).toBe(true);
    expect(mayFailOver(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }), false)).toBe(false);
    expect(mayFailOver(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }), true)).toBe(true);
    expect(mayFailOver(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), true)).toBe(false);
  });
});
