import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayEnv } from './env';

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
  const server: Server = createServer((req, res) => proxy(req, res, env));
  await new Promise<void>((resolve) => server.listen(env.HUB_GATEWAY_PORT, env.HUB_GATEWAY_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${env.HUB_GATEWAY_HOST}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}

function fail(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { code, message } }));
}

function proxy(req: IncomingMessage, res: ServerResponse, env: GatewayEnv): void {
  const requestId = typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,128}$/.test(req.headers['x-request-id'])
    ? req.headers['x-request-id'] : randomUUID();
  res.setHeader('x-request-id', requestId);
  const path = req.url ?? '/';
  if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  const upstream = routeFor(path, env);
  if (!upstream) return fail(res, 404, 'not_found', 'Routes: /graphql (control plane), /hooks/{key} (webhooks), /healthz');
  if (Number(req.headers['content-length'] ?? 0) > env.HUB_GATEWAY_MAX_BODY_BYTES) {
    return fail(res, 413, 'payload_too_large', `The body is over the limit of ${env.HUB_GATEWAY_MAX_BODY_BYTES} bytes`);
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers['x-request-id'] = requestId;
  headers['x-forwarded-for'] = clientAddress(req, env.HUB_GATEWAY_TRUSTED_HOPS);
  headers['x-forwarded-proto'] = 'http';
  const target = new URL(path, upstream);
  const up = request(target, { method: req.method, headers }, (upRes) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    res.writeHead(upRes.statusCode ?? 502, out);
    upRes.pipe(res);
  });
  up.setTimeout(env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS, () => {
    up.destroy();
    fail(res, 504, 'upstream_timeout', `The service behind this route did not answer within ${env.HUB_GATEWAY_UPSTREAM_TIMEOUT_MS} ms; retry later`);
  });
  // 503 + Retry-After, not 502: webhook senders retry a 503 (e.g. while an ingress restarts).
  up.on('error', () => fail(res, 503, 'upstream_unavailable', 'The service behind this route is not answering; retry later', { 'retry-after': '5' }));
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > env.HUB_GATEWAY_MAX_BODY_BYTES) {
      up.destroy();
      fail(res, 413, 'payload_too_large', `The body is over the limit of ${env.HUB_GATEWAY_MAX_BODY_BYTES} bytes`);
      req.destroy();
    }
  });
  req.pipe(up);
}
