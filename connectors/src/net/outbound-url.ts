import { isIP } from 'node:net';

/**
 * SSRF policy for every URL the hub calls: https only, and no loopback, private, link-local or
 * metadata addresses, unless the operator allow-list names the host (tests and the demo allow
 * 127.0.0.1). This is the syntactic check done when a URL is configured and again before a
 * request; resolving names and checking the connected address is the data plane's job.
 */
export type OutboundVerdict = { ok: true; url: URL } | { ok: false; reason: string };

export function parseAllowHosts(spec: string): Set<string> {
  return new Set(spec.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
}

export function isForbiddenAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  if (v === 6) {
    const x = ip.toLowerCase();
    if (x.startsWith('::ffff:')) return isForbiddenAddress(mappedIpv4(x.slice(7)));
    return x === '::' || x === '::1' || x.startsWith('fc') || x.startsWith('fd') || x.startsWith('fe80') || x.startsWith('ff');
  }
  return false;
}

/** `::ffff:c0a8:101` (how URL normalises it) or `::ffff:192.168.1.1` → `192.168.1.1`. */
function mappedIpv4(tail: string): string {
  if (isIP(tail) === 4) return tail;
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!m) return tail;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

const FORBIDDEN_NAMES = new Set(['localhost', 'metadata.google.internal', 'metadata']);

export function checkOutboundUrl(raw: string, allowHosts: Set<string>): OutboundVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials; use a credential instead' };
  if (allowHosts.has(host)) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  if (FORBIDDEN_NAMES.has(host) || host.endsWith('.localhost') || isForbiddenAddress(host)) {
    return { ok: false, reason: 'points at a private, loopback, link-local or metadata address' };
  }
  return { ok: true, url };
}
