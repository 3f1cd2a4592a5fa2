import { Attr, contextFrom, httpMetrics, tracer, traceHeaders } from '@datahub/connectors/dist/edge';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';

const http = httpMetrics('gateway');

/** The fixed route names of the gateway (metrics label, span name): never the path, which holds inbound keys. */
export function gatewayRoute(path: string): string {
  if (path === '/graphql' || path.startsWith('/graphql?')) return '/graphql';
  if (path === '/hooks' || path.startsWith('/hooks/') || path.startsWith('/hooks?')) return '/hooks';
  if (path === '/healthz' || path === '/metrics') return path;
  return 'other';
}

/**
 * Starts the gateway's server span for one request (child of the caller's traceparent, if any)
 * and counts the request when its answer is sent. Returns the trace headers to forward upstream,
 * so the ingress or control-plane span becomes a child of this one.
 */
export function observeRequest(req: IncomingMessage, res: ServerResponse): Record<string, string> {
  const started = performance.now();
  const route = gatewayRoute(req.url ?? '/');
  const parent = contextFrom(req.headers as Record<string, unknown>);
  const span = tracer.startSpan(`gateway ${req.method ?? 'GET'} ${route}`, {
    kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'http.route': route },
  }, parent);
  res.once('close', () => {
    const status = res.statusCode;
    span.setAttributes({ [Attr.status]: status, [Attr.outcome]: status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed' });
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    http.observe(route, status, (performance.now() - started) / 1000);
  });
  return traceHeaders(trace.setSpan(parent, span));
}
