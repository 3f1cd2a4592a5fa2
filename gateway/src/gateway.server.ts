import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { answerThenDiscard, readBodyUpTo, serveMetrics } from '@datahub/connectors/dist/edge';
import { clientAddress, parseTrustedProxies, trusted, type TrustedProxies } from './client.address';
import type { GatewayEnv } from './env';
import { observeRequest } from './gateway.telemetry';
import { EdgeRateLimits, inboundKeyLookup } from './rate.limits';
import { errorCode, mayFailOver, UpstreamPool } from './upstream.pool';
import { isAdminPath, serveAdmin } from './admin.static';

/** Hop-by-hop headers are the connection's, not the request's (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export interface Gateway {
  url: string;
  port: number;
  /** Drains (readiness 503, then stop accepting, finish in-flight requests) and closes. */
  close(): Promise<void>;
}

export type RouteName = 'graphql' | 'hooks';

export function routeFor(path: string): RouteName | null {
  if (path === '/graphql' || path.startsWith('/graphql?')) return 'graphql';
  if (path === '/hooks' || path.startsWith('/hooks/') || path.startsWith('/hooks?')) return 'hooks';
  return null;
}

interface Ctx {
  env: GatewayEnv;
  dispatcher: Dispatcher;
  pools: Record<RouteName, UpstreamPool>;
  limits: EdgeRateLimits;
  proxies: TrustedProxies;
  /** Who may read /metrics (Prometheus on the private network). */
  metricsFrom: TrustedProxies;
  tls: boolean;
  draining: () => boolean;
}

export async function startGateway(env: GatewayEnv): Promise<Gateway> {
  // One keep-alive pool per upstream (undici): far cheaper per request than node:http's client.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
  const probe = { probeIntervalMs: env.HUB_GATEWAY_PROBE_INTERVAL_MS, probeTimeoutMs: Math.min(2_000, env.HUB_GATEWAY_PROBE_INTERVAL_MS * 2) };
  const pools = {
    graphql: new UpstreamPool(env.HUB_CONTROL_PLANE_URL, dispatcher, { ...probe, probePath: '/healthz' }),
    hooks: new UpstreamPool(env.HUB_INGRESS_URL, dispatcher, { ...probe, probePath: '/readyz' }),
  };
  await Promise.all([pools.graphql.start(), pools.hooks.start()]);
  let draining = false;
  const tls = Boolean(env.HUB_GATEWAY_TLS_CERT_FILE);
  const ctx: Ctx = {
    env, dispatcher, pools, tls, draining: () => draining, proxies: parseTrustedProxies(env.HUB_GATEWAY_TRUSTED_PROXIES),
    metricsFrom: parseTrustedProxies(env.HUB_GATEWAY_METRICS_FROM, 'HUB_GATEWAY_METRICS_FROM'),
    limits: new EdgeRateLimits({
      perIpPerSec: env.HUB_GATEWAY_RATE_PER_IP_PER_SEC, perIpBurst: env.HUB_GATEWAY_RATE_PER_IP_BURST,
      perKeyPerSec: env.HUB_GATEWAY_RATE_PER_KEY_PER_SEC, perKeyBurst: env.HUB_GATEWAY_RATE_PER_KEY_BURST,
    }),
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, ctx).catch(() => {
      // The client went away while its body was read, or the answer broke while being relayed.
      if (res.headersSent) res.destroy();
      else fail(res, 503, 'upstream_unavailable', 'The request could not be relayed; retry later', { 'retry-after': '5' });
    });
  };
  const server: Server = tls
    ? createTlsServer({ cert: readFileSync(env.HUB_GATEWAY_TLS_CERT_FILE!), key: readFileSync(env.HUB_GATEWAY_TLS_KEY_FILE!), minVersion: 'TLSv1.2' }, handler)
    : createServer(handler);
  // Longer than a load balancer's or client's idle timeout (60 s at AWS ALB), so the other side closes an idle
  // keep-alive connection first: a request sent as the server closes the socket would meet a reset.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.HUB_GATEWAY_PORT, env.HUB_GATEWAY_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${env.HUB_GATEWAY_HOST}:${port}`,
    port,
    close: () => (closed ??= (async () => {
      // Readiness 503 first, so the load balancer stops sending; answers meanwhile say Connection: close.
      draining = true;
      await new Promise((r) => setTimeout(r, env.HUB_GATEWAY_DRAIN_GRACE_MS));
      // Then stop accepting and let in-flight requests finish, within a bound.
      await new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), env.HUB_GATEWAY_DRAIN_TIMEOUT_MS);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
      pools.graphql.stop();
      pools.hooks.stop();
      await dispatcher.close();
    })()),
  };
}

function fail(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { code, message } }));
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Ctx): Promise<void> {
  const { env } = ctx;
  const requestId = typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,128}$/.test(req.headers['x-request-id'])
    ? req.headers['x-request-id'] : randomUUID();
  res.setHeader('x-request-id', requestId);
  if (ctx.draining()) res.setHeader('connection', 'close');
  const trace = observeRequest(req, res);
  const path = req.url ?? '/';
  if (path === '/metrics' || path.startsWith('/metrics?')) {
    const from = clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], ctx.proxies);
    if (trusted(from, ctx.metricsFrom)) return void serveMetrics(req, res, 'gateway');
    return fail(res, 404, 'not_found', 'Routes: /graphql (control plane), /hooks/{key} (webhooks), /healthz, /readyz');
  }
  if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  if (path === '/readyz') {
    return ctx.draining()
      ? fail(res, 503, 'draining', 'This gateway is shutting down')
      : void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
  }
  if (isAdminPath(path)) return serveAdmin(req, res, env.HUB_CONSOLE_DIR);
  const route = routeFor(path);
  if (!route) return fail(res, 404, 'not_found', 'Routes: /graphql (control plane), /hooks/{key} (webhooks), /admin (console), /healthz, /readyz');
  const client = clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], ctx.proxies);
  const verdict = await ctx.limits.take(client, route === 'hooks' && ctx.limits.perKey ? inboundKeyLookup(path, req.headers) : null);
  if (!verdict.ok) {
    const what = verdict.limit === 'key' ? 'this inbound key' : 'your address';
    return fail(res, 429, 'rate_limited', `Too many requests for ${what}; retry after ${verdict.retryAfterSec} s`, { 'retry-after': String(verdict.retryAfterSec) });
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  // Whole and bounded, so it can be sent again on failover.
  const body = hasBody ? await readBodyUpTo(req, env.HUB_GATEWAY_MAX_BODY_BYTES) : null;
  if (hasBody && body === null) {
    return answerThenDiscard(req, res, 413, JSON.stringify({
      error: { code: 'payload_too_large', message: `The body is over the limit of ${env.HUB_GATEWAY_MAX_BODY_BYTES} bytes` },
    }), { 'content-type': 'application/json' }, { maxBytes: env.HUB_GATEWAY_DISCARD_MAX_BYTES, timeoutMs: 10_000 });
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers['x-request-id'] = requestId;
  // This hop's span replaces the caller's: the upstream's span is its child.
  delete headers.traceparent;
  delete headers.tracestate;
  Object.assign(headers, trace);
  headers['x-forwarded-for'] = client;
  headers['x-forwarded-proto'] = ctx.tls ? 'https' : 'http';
  if (body) headers['content-length'] = String(body.length);
  await forward(req, res, ctx, route, headers, body);
}

/** Sends the request to the route's instances in turn until one answers; a refused connection moves on to the next. */
async function forward(req: IncomingMessage, res: ServerResponse, ctx: Ctx, route: RouteName, headers: Record<string, string | string[]>, body: Buffer | null): Promise<void> {
  const { env } = ctx;
  const pool = ctx.pools[route];
  let lastError: unknown;
  // A webhook cut mid-way is sent again: events are at least once anyway. GraphQL only when it never left.
  for (const origin of pool.order()) {
    try {
      const up = await ctx.dispatcher.request({
        origin, path: req.url ?? '/', method: req.method as Dispatcher.HttpMethod, headers, body,
        headersTimeout: env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS, bodyTimeout: env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS,
      });
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v != null && !HOP_BY_HOP.has(k)) out[k] = v as string | string[];
      if (ctx.draining()) out.connection = 'close';
      res.writeHead(up.statusCode, out);
      up.body.pipe(res);
      return;
    } catch (err) {
      lastError = err;
      if (!mayFailOver(err, route === 'hooks')) break;
      pool.markDown(origin);
    }
  }
  if (errorCode(lastError) === 'UND_ERR_HEADERS_TIMEOUT') {
    return fail(res, 504, 'upstream_timeout', `The service behind this route did not answer within ${env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS} ms; retry later`);
  }
  // 503 + Retry-After, not 502: webhook senders retry a 503 (e.g. while an ingress restarts).
  fail(res, 503, 'upstream_unavailable', 'The service behind this route is not answering; retry later', { 'retry-after': '5' });
}
