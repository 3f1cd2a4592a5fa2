import { connect as tcpConnect, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { buildConnector } from 'undici';
import { checkOutboundUrl } from './outbound-url';

/**
 * Outbound calls through an HTTP CONNECT proxy (the "forwarding IP" a target can allow-list). The
 * SSRF policy still judges the target: its name is resolved and checked here before the proxy is
 * asked for a tunnel, so a refused target never reaches the proxy. TLS to the target runs inside
 * the tunnel, end to end (the proxy sees the host name and port only).
 */
export interface EgressProxy {
  url: URL;
  /**
   * The operator's proxy (from the environment) is trusted wherever it is; a tenant's proxy is a
   * URL like any other outbound one: public, or allow-listed, and checked again when connecting.
   */
  trusted: boolean;
}

export const PROXY_REFUSED_CODE = 'EHUB_PROXY_REFUSED';

/** A proxy URL as the hub accepts it: `http://host:port`, credentials only for the operator's. */
export function parseEgressProxy(raw: string, trusted: boolean, allowHosts: Set<string>): { ok: true; proxy: EgressProxy } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL (expected http://host:port)' };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: 'must be an http:// proxy URL (the tunnel itself carries TLS to the target)' };
  if (!url.port) return { ok: false, reason: 'must name the proxy port (http://host:port)' };
  if (url.pathname !== '/' || url.search || url.hash) return { ok: false, reason: 'must be only scheme, host and port' };
  if (!trusted) {
    if (url.username || url.password) return { ok: false, reason: 'must not carry credentials (a tenant proxy allows the hub by its address)' };
    // Same reachability rule as any outbound URL, the scheme aside.
    const verdict = checkOutboundUrl(`https://${url.host}/`, allowHosts);
    if (!verdict.ok) return { ok: false, reason: verdict.reason };
  }
  return { ok: true, proxy: { url, trusted } };
}

/** The operator's proxy (HUB_EGRESS_PROXY_URL), trusted wherever it is; a bad URL stops the process at start. */
export function operatorEgressProxy(raw: string | undefined, allowHosts: Set<string>): EgressProxy | undefined {
  if (!raw) return undefined;
  const parsed = parseEgressProxy(raw, true, allowHosts);
  if (!parsed.ok) throw new Error(`HUB_EGRESS_PROXY_URL ${parsed.reason}`);
  return parsed.proxy;
}

type ConnectOptions = buildConnector.Options;
type Callback = buildConnector.Callback;

export interface TunnelOptions {
  proxy: EgressProxy;
  connectTimeoutMs: number;
  /** Resolves and checks the target against the SSRF policy; rejects when it is forbidden. */
  checkTarget: (hostname: string) => Promise<void>;
  /** The lookup for the proxy's own address (guarded for a tenant's proxy). */
  proxyLookup?: LookupFunction;
}

/** An undici `connect` function that opens each connection through the proxy's CONNECT tunnel. */
export function tunnelConnector(o: TunnelOptions) {
  const auth = o.proxy.url.username
    ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(o.proxy.url.username)}:${decodeURIComponent(o.proxy.url.password)}`).toString('base64')}\r\n`
    : '';
  return (opts: ConnectOptions, callback: Callback): void => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const host = opts.hostname.includes(':') ? `[${opts.hostname}]` : opts.hostname;
    const fail = (err: Error) => callback(err, null);
    o.checkTarget(opts.hostname).then(() => {
      const socket: Socket = tcpConnect({ host: o.proxy.url.hostname.replace(/^\[|\]$/g, ''), port: Number(o.proxy.url.port), lookup: o.proxyLookup });
      // Covers the tunnel and the TLS handshake inside it (undici's own connect timeout does not apply here).
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`egress proxy ${o.proxy.url.host} did not open a tunnel within ${o.connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' })), o.connectTimeoutMs);
      let head = Buffer.alloc(0);
      const onError = (err: Error) => {
        clearTimeout(timer);
        fail(err);
      };
      const connected = (s: Socket) => {
        clearTimeout(timer);
        callback(null, s);
      };
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 16 * 1024) socket.destroy(new Error('egress proxy answered CONNECT with an oversized head'));
          return;
        }
        socket.off('data', onData);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1];
        if (status !== '200') {
          socket.off('error', onError);
          clearTimeout(timer);
          socket.destroy();
          return fail(Object.assign(new Error(`egress proxy ${o.proxy.url.host} refused CONNECT ${host}:${port} (${status ? `HTTP ${status}` : 'not HTTP'})`), { code: PROXY_REFUSED_CODE }));
        }
        const rest = head.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        socket.off('error', onError);
        if (opts.protocol !== 'https:') return connected(socket);
        const tls = tlsConnect({ socket, servername: opts.servername ?? (/^[\d.:]+$/.test(opts.hostname) ? undefined : opts.hostname), ALPNProtocols: ['http/1.1'] });
        tls.once('secureConnect', () => {
          tls.off('error', onError);
          connected(tls);
        });
        tls.once('error', onError);
      };
      socket.on('error', onError);
      socket.on('data', onData);
      socket.once('connect', () => socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n${auth}\r\n`));
    }, fail);
  };
}
