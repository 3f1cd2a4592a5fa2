import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { tunnelConnector, type EgressProxy } from './egress.proxy';
import { isForbiddenAddress, normaliseHost } from './outbound-url';

/**
 * Connect-time half of the SSRF policy. `checkOutboundUrl` judges a URL's text; a name can still
 * resolve (or re-resolve: DNS rebinding) to a private address, so the address handed to the
 * socket is checked here, in the lookup the socket itself uses.
 */

/** Every address a name resolves to. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const FORBIDDEN_ADDRESS_CODE = 'EHUB_FORBIDDEN_ADDRESS';

/** A connection the SSRF policy refused: permanent, retrying will not help. */
export class ForbiddenAddressError extends Error {
  readonly code = FORBIDDEN_ADDRESS_CODE;
  constructor(readonly host: string, readonly address: string) {
    super(`refusing to connect to ${host} at ${address}: a private, loopback, link-local, metadata or reserved address`);
    this.name = 'ForbiddenAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The callback form of `dns.lookup`, as `net.connect({ lookup })` and undici's `connect.lookup` call it. */
export type GuardedLookup = (hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback) => void;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, order: 'verbatim' });

/** The first address that makes `hostname` off limits, or null when the host may be reached. */
export function forbiddenAmong(hostname: string, addresses: readonly LookupAddress[], allowHosts: Set<string>): string | null {
  if (allowHosts.has(normaliseHost(hostname))) return null;
  return addresses.find((a) => isForbiddenAddress(a.address))?.address ?? null;
}

/**
 * A `dns.lookup` replacement that fails with EHUB_FORBIDDEN_ADDRESS when ANY address of the name
 * is forbidden (not only the one connected to), unless the host is allow-listed.
 */
export function guardedLookup(allowHosts: Set<string>, resolve: Resolver = systemResolver): GuardedLookup {
  return (hostname, options, callback) => {
    const cb = (typeof options === 'function' ? options : callback)!;
    const opts: LookupOptions = typeof options === 'object' ? options : { family: typeof options === 'number' ? options : 0 };
    const family = isIP(hostname);
    const resolved = family ? Promise.resolve([{ address: hostname, family }]) : resolve(hostname);
    resolved.then(
      (all) => {
        const bad = forbiddenAmong(hostname, all, allowHosts);
        if (bad !== null) return cb(new ForbiddenAddressError(hostname, bad), opts.all ? [] : '');
        const wanted = opts.family === 4 || opts.family === 6 ? all.filter((a) => a.family === opts.family) : [...all];
        if (wanted.length === 0) return cb(notFound(hostname), opts.all ? [] : '');
        if (opts.all) return cb(null, wanted);
        return cb(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, opts.all ? [] : ''),
    );
  };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

export interface OutboundAgentOptions {
  allowHosts: Set<string>;
  connectTimeoutMs: number;
  keepAliveTimeoutMs?: number;
  /** Sockets per origin; undici's default is unlimited. */
  connections?: number;
  resolve?: Resolver;
  /** Every connection goes through this HTTP CONNECT proxy (egress.proxy.ts); the target is still checked first. */
  proxy?: EgressProxy;
}

/** Resolves a target and rejects with ForbiddenAddressError when the SSRF policy refuses it. */
function targetChecker(allowHosts: Set<string>, resolve: Resolver = systemResolver) {
  return async (hostname: string): Promise<void> => {
    const family = isIP(hostname);
    const all = family ? [{ address: hostname, family }] : await resolve(hostname);
    const bad = forbiddenAmong(hostname, all, allowHosts);
    if (bad !== null) throw new ForbiddenAddressError(hostname, bad);
  };
}

/**
 * The undici Agent for every outbound call. It never follows redirects (undici only does with a
 * redirect interceptor), so a 3xx comes back as a response. Node's `net.connect` skips the lookup
 * for an IP-literal host, so those are checked here before the socket is opened.
 */
export function createOutboundAgent(o: OutboundAgentOptions): Agent {
  if (o.proxy) {
    return new Agent({
      connections: o.connections ?? null,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      connect: tunnelConnector({
        proxy: o.proxy, connectTimeoutMs: o.connectTimeoutMs, checkTarget: targetChecker(o.allowHosts, o.resolve),
        proxyLookup: o.proxy.trusted ? undefined : (guardedLookup(o.allowHosts, o.resolve) as never),
      }),
    });
  }
  const connector = buildConnector({ timeout: o.connectTimeoutMs, lookup: guardedLookup(o.allowHosts, o.resolve) });
  return new Agent({
    connections: o.connections ?? null,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    connect: (opts, callback) => {
      if (isIP(opts.hostname)) {
        const bad = forbiddenAmong(opts.hostname, [{ address: opts.hostname, family: isIP(opts.hostname) }], o.allowHosts);
        if (bad !== null) return callback(new ForbiddenAddressError(opts.hostname, bad), null);
      }
      connector(opts, callback);
    },
  });
}
