import { answerThenDiscard, Attr, contextFrom, httpMetrics, ingressMetrics, inSpan, serveMetrics, traceHeaders, BrokerUnavailable, MessageNotRouted, type DiscardLimits } from '@datahub/connectors';
import { create, HubEventSchema, TriggerKind } from '@datahub/proto';
import { SpanKind, type Context } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { logger } from '../logger';
import type { ConfigStore } from '../store/config.store';
import { acceptBusinessEvent, EVENT_PATH, type BusinessEventDeps } from './business-event.ingress';
import type { EventPublisher } from './event.publisher';
import { authenticateKey, HookRefusal, notifiedId, parseBody, pushedRecord, readLimitedBody } from './hook.request';
import { verifySignature } from './signature.verify';

const HOOK_PATH = /^\/hooks(?:\/([^/]+))?\/?$/;
const RETRY_AFTER_SEC = '5';
const ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
const http = httpMetrics('ingress');
const volume = ingressMetrics();

export interface IngressDeps {
  store: ConfigStore;
  publisher: EventPublisher;
  maxBodyBytes: number;
  /** How much of a refused (413) body is read and dropped so the client can read the answer. */
  discard: DiscardLimits;
  /** Why this process should get no traffic now (broker down or blocked, database down, draining), or null. */
  notReady: () => string | null;
  /** Shutting down: answers still come, with Connection: close, so keep-alive clients reconnect elsewhere. */
  draining: () => boolean;
  onKeyUsed: (keyId: string) => void;
  /** Business events posted to /hooks/{key}/events/{type} (validated against the tenant's declared schema). */
  businessEvents?: BusinessEventDeps;
}

/** The data-plane ingress: authenticates a webhook by its inbound key and answers 202 once the broker has the event. */
export function createIngressServer(deps: IngressDeps): Server {
  return createServer((req, res) => {
    const requestId = String(req.headers['x-request-id'] ?? randomUUID());
    res.setHeader('x-request-id', requestId);
    if (deps.draining()) res.setHeader('connection', 'close');
    const started = performance.now();
    res.once('finish', () => http.observe(routeLabel(req.url), res.statusCode, (performance.now() - started) / 1000));
    if (serveMetrics(req, res, 'ingress')) return;
    route(req, res, deps).catch((err) => {
      if (err instanceof HookRefusal && err.status === 413) {
        return answerThenDiscard(req, res, 413, JSON.stringify({ error: { code: err.code, message: err.message } }), { 'content-type': 'application/json', ...err.headers }, deps.discard);
      }
      if (err instanceof HookRefusal) return reply(res, err.status, { error: { code: err.code, message: err.message, ...err.details } }, err.headers);
      logger.error({ err, requestId }, 'ingress failed');
      reply(res, 503, { error: { code: 'unavailable', message: 'The hub could not take the event; retry later' } }, { 'retry-after': RETRY_AFTER_SEC });
    });
  });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: IngressDeps): Promise<void> {
  const url = splitUrl(req.url);
  if (url.pathname === '/healthz') return reply(res, 200, { status: 'ok' });
  if (url.pathname === '/readyz') {
    const notReady = deps.notReady();
    return notReady ? reply(res, 503, { status: 'not ready', reason: notReady }) : reply(res, 200, { status: 'ready' });
  }
  const ev = deps.businessEvents && EVENT_PATH.exec(url.pathname);
  if (ev) {
    const accepted = await acceptBusinessEvent(req, ev[1]!, decodeURIComponent(ev[2]!), deps, deps.businessEvents!);
    volume.accepted('business_event', Number(req.headers['content-length'] ?? 0));
    return reply(res, 202, accepted);
  }
  const m = HOOK_PATH.exec(url.pathname);
  if (!m) throw new HookRefusal(404, 'not_found', 'Webhooks go to /hooks/{inboundKey}');
  await inSpan('ingress receive', { kind: SpanKind.SERVER, parent: contextFrom(req.headers as Record<string, unknown>), attributes: { 'http.request.method': req.method ?? '' } }, async (span, traceCtx) => {
    let result: { eventId: string };
    try {
      result = await accept(req, url, m[1], deps, span.setAttributes.bind(span), traceCtx);
    } catch (err) {
      if (err instanceof HookRefusal) span.setAttributes({ [Attr.status]: err.status, [Attr.outcome]: 'refused' });
      throw err;
    }
    span.setAttributes({ [Attr.status]: 202, [Attr.outcome]: 'accepted' });
    reply(res, 202, result);
  });
}

async function accept(
  req: IncomingMessage, url: RequestUrl, pathKey: string | undefined, deps: IngressDeps,
  annotate: (a: Record<string, string | number>) => void, traceCtx: Context,
): Promise<{ eventId: string }> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    throw new HookRefusal(405, 'method_not_allowed', 'Use GET or POST', { allow: 'GET, POST' });
  }
  const record = await authenticateKey(req, pathKey, deps.store);
  annotate({ [Attr.tenant]: record.tenantId, [Attr.project]: record.projectId, [Attr.sync]: record.syncId });
  if (record.paused) {
    throw new HookRefusal(409, 'sync_paused', 'The sync behind this key is paused, so this event was not accepted; retry it later. A user of the tenant with the write scope resumes the sync with the resumeSync mutation of the GraphQL API.');
  }
  if (record.activeVersion === null) throw new HookRefusal(409, 'sync_not_active', 'The sync behind this key has no active version; activate one first');
  const quota = await deps.store.quota(record.tenantId);
  if (quota?.enforced && quota.used >= quota.quota) {
    throw new HookRefusal(429, 'quota_exceeded', `The tenant has used its monthly quota of ${quota.quota} events (${quota.used} received this month, UTC), so this event was not accepted. An operator raises the quota (setTenantQuota) or it resets on the 1st of next month.`);
  }
  const plan = await deps.store.plan(record.syncId, record.activeVersion);
  if (!plan) throw new Error(`no compiled plan for sync ${record.syncId} version ${record.activeVersion}`);

  const raw = await readLimitedBody(req, deps.maxBodyBytes);
  const signature = await deps.store.signature(record.syncId);
  if (signature) {
    const now = Date.now();
    const secrets = signature.secrets.filter((s) => s.expiresAtMs === null || s.expiresAtMs > now).map((s) => s.value);
    const verdict = verifySignature({ ...signature, secrets }, req.headers, raw, now);
    if (!verdict.ok) throw new HookRefusal(401, verdict.code, verdict.message);
  }
  const body = parseBody(raw, req.headers['content-type']);
  const notify = plan.trigger?.kind !== TriggerKind.PUSH;
  if (!notify && req.method !== 'POST') throw new HookRefusal(405, 'method_not_allowed', 'This sync is pushed records: POST them', { allow: 'POST' });
  const event = create(HubEventSchema, {
    eventId: randomUUID(),
    method: req.method,
    tenantId: record.tenantId,
    projectId: record.projectId,
    syncId: record.syncId,
    syncVersion: record.activeVersion,
    trigger: notify ? TriggerKind.NOTIFY : TriggerKind.PUSH,
    entityId: notify ? notifiedId(url.query(), body, plan.trigger?.idParam || 'id') : '',
    recordJson: notify ? new Uint8Array() : pushedRecord(body),
    attempt: 1,
    receivedAtMs: BigInt(Date.now()),
  });
  annotate({ [Attr.event]: event.eventId, [Attr.syncVersion]: event.syncVersion });
  try {
    await inSpan('hub.events publish', { kind: SpanKind.PRODUCER, attributes: { [Attr.event]: event.eventId }, parent: traceCtx }, (_span, published) =>
      deps.publisher.publish(event, traceHeaders(published)),
    );
  } catch (err) {
    if (err instanceof BrokerUnavailable || err instanceof MessageNotRouted) {
      logger.warn({ err: err.message }, 'event not accepted by the broker');
      throw new HookRefusal(503, 'broker_unavailable', 'The hub cannot queue events right now; retry later', { 'retry-after': RETRY_AFTER_SEC });
    }
    throw err;
  }
  deps.onKeyUsed(record.id);
  volume.accepted(notify ? 'notify' : 'push', raw.length);
  return { eventId: event.eventId };
}

interface RequestUrl {
  pathname: string;
  /** The query string, parsed when asked for (a notify's id). */
  query(): URLSearchParams;
}

/**
 * A request target split into path and query: what the routes need, without a WHATWG URL per webhook.
 * The path is matched as sent (the routes' patterns allow no dot segments or other hosts).
 */
function splitUrl(target: string | undefined): RequestUrl {
  const raw = target ?? '/';
  const q = raw.indexOf('?');
  return { pathname: q < 0 ? raw : raw.slice(0, q), query: () => new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** A fixed route name for metrics: never the path itself, which holds the inbound key. */
function routeLabel(url: string | undefined): string {
  const path = splitUrl(url).pathname;
  if (path === '/hooks' || path.startsWith('/hooks/')) return '/hooks';
  return ROUTES.has(path) ? path : 'other';
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
