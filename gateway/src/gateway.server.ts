import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { answerThenDiscard, discardThen } from '@datahub/connectors';
import type { AddressInfo } from 'node:net';
import { serveMetrics } from '@datahub/connectors';
import type { GatewayEnv } from './env';
import { observeRequest } from './gateway.telemetry';

/** Hop-by-hop headers are the connection's, not the request's (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The client address, trusting X-Forwarded-For only for the configured number of proxy hops. */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? '';
  if (trustedHops === 0) return peer;
  const chain = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - trustedHops] ?? chain[0] ?? peer;
}

export function routeFor(path: string, env: GatewayEnv): string | null {
  if (path === '/graphql' || path.startsWith('/graphql?')) return env.HUB_CONTROL_PLANE_URL;
  if (path === '/hooks' || path.startsWith('/hooks/') || path.startsWith('/hooks?')) return env.HUB_INGRESS_URL;
  return null;
}

export async function startGateway(env: GatewayEnv): Promise<Gateway> {
  // One keep-alive pool per upstream (undici): far cheaper per request than node:http's client.
  const upstreams = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
  const server: Server = createServer((req, res) => proxy(req, res, env, upstreams));
  await new Promise<void>((resolve) => server.listen(env.HUB_GATEWAY_PORT, env.HUB_GATEWAY_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${env.HUB_GATEWAY_HOST}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await upstreams.close();
    },
  };
}

function fail(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { code, message } }));
}

class BodyTooLarge extends Error {}

/** The request body as undici reads it, refused past `max` bytes (a chunked body has no length to check up front). */
async function* limited(req: IncomingMessage, max: number): AsyncGenerator<Buffer> {
  let size = 0;
  // Not destroyed past the limit: the client must still be able to read the 413 (see answerThenDiscard).
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyTooLarge();
    yield chunk;
  }
}

function proxy(req: IncomingMessage, res: ServerResponse, env: GatewayEnv, upstreams: Dispatcher): void {
  const requestId = typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,128}$/.test(req.headers['x-request-id'])
    ? req.headers['x-request-id'] : randomUUID();
  res.setHeader('x-request-id', requestId);
  const trace = observeRequest(req, res);
  const path = req.url ?? '/';
  if (serveMetrics(req, res, 'gateway')) return;
  if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  const upstream = routeFor(path, env);
  if (!upstream) return fail(res, 404, 'not_found', 'Routes: /graphql (control plane), /hooks/{key} (webhooks), /healthz');
  const discard = { maxBytes: env.HUB_GATEWAY_DISCARD_MAX_BYTES, timeoutMs: 10_000 };
  const tooLarge = () => answerThenDiscard(req, res, 413, JSON.stringify({
    error: { code: 'payload_too_large', message: `The body is over the limit of ${env.HUB_GATEWAY_MAX_BODY_BYTES} bytes` },
  }), { 'content-type': 'application/json' }, discard);
  if (Number(req.headers['content-length'] ?? 0) > env.HUB_GATEWAY_MAX_BODY_BYTES) return tooLarge();
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers['x-request-id'] = requestId;
  // This hop's span replaces the caller's: the upstream's span is its child.
  delete headers.traceparent;
  delete headers.tracestate;
  Object.assign(headers, trace);
  headers['x-forwarded-for'] = clientAddress(req, env.HUB_GATEWAY_TRUSTED_HOPS);
  headers['x-forwarded-proto'] = 'http';
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  upstreams.request({
    origin: upstream, path, method: req.method as Dispatcher.HttpMethod, headers,
    body: hasBody ? Readable.from(limited(req, env.HUB_GATEWAY_MAX_BODY_BYTES)) : null,
    headersTimeout: env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS, bodyTimeout: env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS,
  }).then((up) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v != null && !HOP_BY_HOP.has(k)) out[k] = v as string | string[];
    if (req.complete || !hasBody) {
      res.writeHead(up.statusCode, out);
      return void up.body.pipe(res);
    }
    // The upstream answered before the client finished sending (e.g. its own 413): pass the answer on,
    // read and drop the rest of the body, then close, so the client reads the answer instead of a reset.
    res.writeHead(up.statusCode, { ...out, connection: 'close' });
    up.body.pipe(res, { end: false });
    up.body.once('end', () => discardThen(req, discard, () => res.end()));
  }, (err: Error & { code?: string }) => {
    if (err instanceof BodyTooLarge || err.cause instanceof BodyTooLarge) return tooLarge();
    if (err.code === 'UND_ERR_HEADERS_TIMEOUT') {
      return fail(res, 504, 'upstream_timeout', `The service behind this route did not answer within ${env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS} ms; retry later`);
    }
    // 503 + Retry-After, not 502: webhook senders retry a 503 (e.g. while an ingress restarts).
    fail(res, 503, 'upstream_unavailable', 'The service behind this route is not answering; retry later', { 'retry-after': '5' });
  });
}
