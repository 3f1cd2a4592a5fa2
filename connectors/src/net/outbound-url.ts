import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * SSRF policy for every URL the hub calls: https only, and no loopback, private, link-local or
 * metadata addresses, unless the operator allow-list names the host (tests and the demo allow
 * 127.0.0.1). This is the syntactic check done when a URL is configured and again before a
 * request; the address actually connected to is checked by `guardedLookup` (outbound.lookup.ts).
 */
export type OutboundVerdict = { ok: true; url: URL } | { ok: false; reason: string };

export function parseAllowHosts(spec: string): Set<string> {
  return new Set(spec.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
}

/**
 * True for an IP literal the hub must never connect to: anything but public unicast, including
 * IPv6 forms that carry a forbidden IPv4 address. Host names are not addresses: false.
 */
export function isForbiddenAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !isPublicV4(ipaddr.IPv4.parse(ip));
  if (family === 6) {
    const v6 = canonicalV6(ip);
    return v6 === null || !isPublicV6(v6);
  }
  return false;
}

function isPublicV4(a: ipaddr.IPv4): boolean {
  // ipaddr.js names every special-purpose block (0/8, RFC 1918, 100.64/10, 169.254/16, 192.0.0/24,
  // documentation, 198.18/15, multicast, 240/4, broadcast…); only what is left is public.
  return a.range() === 'unicast';
}

const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function isPublicV6(a: ipaddr.IPv6): boolean {
  const p = a.parts;
  switch (a.range()) {
    case 'ipv4Mapped':
      return isPublicV4(a.toIPv4Address());
    case 'rfc6052': // 64:ff9b:1::/48 is local-use NAT64: never public
      return a.match(NAT64_WELL_KNOWN) && isPublicV4(v4Of(p[6]!, p[7]!));
    case '6to4':
      return isPublicV4(v4Of(p[1]!, p[2]!));
    case 'teredo': // server in bits 32–63, client (the real peer) obfuscated in the last 32
      return isPublicV4(v4Of(p[2]!, p[3]!)) && isPublicV4(v4Of(~p[6]! & 0xffff, ~p[7]! & 0xffff));
    case 'unicast':
      // Outside 2000::/3 ipaddr.js still says "unicast" (e.g. IPv4-compatible ::7f00:1).
      return a.match(GLOBAL_UNICAST);
    default:
      return false;
  }
}

function v4Of(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
}

/**
 * Parses through the WHATWG URL parser first: ipaddr.js reads `::127.0.0.1` as IPv4-mapped, but
 * the socket would connect to the IPv4-compatible `::7f00:1`. The zone id does not change the range.
 */
function canonicalV6(ip: string): ipaddr.IPv6 | null {
  try {
    const hex = new URL(`http://[${ip.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
    return ipaddr.IPv6.parse(hex);
  } catch {
    return null;
  }
}

const FORBIDDEN_NAMES = new Set(['localhost', 'metadata.google.internal', 'metadata']);

/** A URL's host as the allow-list and the policy compare it: no brackets, no trailing dot. */
export function normaliseHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

export function checkOutboundUrl(raw: string, allowHosts: Set<string>): OutboundVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  const host = normaliseHost(url.hostname);
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials; use a credential instead' };
  if (allowHosts.has(host)) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  if (FORBIDDEN_NAMES.has(host) || host.endsWith('.localhost') || isForbiddenAddress(host)) {
    return { ok: false, reason: 'points at a private, loopback, link-local or metadata address' };
  }
  return { ok: true, url };
}
