import type { IncomingMessage } from 'node:http';
import { clientAddress, routeFor } from './gateway.server';
import type { GatewayEnv } from './env';

const env = { HUB_CONTROL_PLANE_URL: 'http://cp', HUB_INGRESS_URL: 'http://in' } as GatewayEnv;
const req = (xff: string | undefined, peer = '10.0.0.9') =>
  ({ headers: xff ? { 'x-forwarded-for': xff } : {}, socket: { remoteAddress: peer } }) as unknown as IncomingMessage;

describe('gateway routing', () => {
  it('routes /graphql to the control plane and /hooks to ingress, nothing else', () => {
    expect(routeFor('/graphql', env)).toBe('http://cp');
    expect(routeFor('/hooks/dhk_abc?id=1', env)).toBe('http://in');
    expect(routeFor('/hooksxyz', env)).toBeNull();
    expect(routeFor('/admin', env)).toBeNull();
  });
});

describe('forwarded client address', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddress(req('1.2.3.4'), 0)).toBe('10.0.0.9');
  });
  it('takes the address the trusted proxy saw, not what the client claims', () => {
    expect(clientAddress(req('6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddress(req('6.6.6.6, 1.2.3.4, 5.5.5.5'), 2)).toBe('1.2.3.4');
  });
});
