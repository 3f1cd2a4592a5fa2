import ipaddr from 'ipaddr.js';

/** Address ranges of the proxies in front of the gateway (load balancers) whose X-Forwarded-For is believed. */
export type TrustedProxies = readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];

/** `10.0.0.0/8,192.168.1.7,::1` → ranges; a bare address is a /32 (or /128). Throws on a malformed entry. */
export function parseTrustedProxies(spec: string, setting = 'HUB_GATEWAY_TRUSTED_PROXIES'): TrustedProxies {
  return spec.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    try {
      return entry.includes('/') ? ipaddr.parseCIDR(entry) : (() => {
        const a = ipaddr.parse(entry);
        return [a, a.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
      })();
    } catch {
      throw new Error(`${setting}: "${entry}" is not an address or CIDR range`);
    }
  });
}

function parsed(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const a = ipaddr.parse(address.trim());
    // ::ffff:10.0.0.1 (how a dual-stack socket shows an IPv4 peer) matches IPv4 ranges.
    return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
  } catch {
    return null;
  }
}

/** Whether `address` lies in one of the ranges. */
export function trusted(address: string, proxies: TrustedProxies): boolean {
  const a = parsed(address);
  return a !== null && proxies.some(([range, bits]) => a.kind() === range.kind() && a.match(range, bits));
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy; then X-Forwarded-For
 * is read from the right, skipping trusted proxies, and the first address that is not one is the
 * client. What a client writes into the header itself is never believed (it sits to the left).
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, proxies: TrustedProxies): string {
  if (!proxies.length || !trusted(peer, proxies)) return peer;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  let client = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    if (parsed(chain[i]!) === null) break; // garbage: stop at the last address we could trust
    client = chain[i]!;
    if (!trusted(client, proxies)) break;
  }
  return client;
}
