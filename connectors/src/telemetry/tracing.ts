import { propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type Link, type SpanKind, type Tracer } from '@opentelemetry/api';

let current: Tracer | null = null;

/**
 * The hub's tracer. A tracer taken from the API sticks to the first provider it saw, so this one
 * is taken again after startTracing or shutdown (tests start several providers in one process).
 */
export const tracer: Pick<Tracer, 'startSpan'> = {
  startSpan: (name, options, ctx) => (current ??= trace.getTracer('datahub')).startSpan(name, options, ctx),
};

/** Called by the bootstrap when the provider changes. */
export function resetTracer(): void {
  current = null;
}

/** Span attribute names every process uses (ids and outcomes only: never a payload, URL path or secret). */
export const Attr = {
  tenant: 'hub.tenant_id',
  project: 'hub.project_id',
  sync: 'hub.sync_id',
  syncVersion: 'hub.sync_version',
  event: 'hub.event_id',
  attempt: 'hub.attempt',
  targetHost: 'server.address',
  status: 'http.response.status_code',
  outcome: 'hub.outcome',
} as const;

type Carrier = Record<string, unknown>;

/** W3C trace context of `ctx`, to put into AMQP or HTTP headers. */
export function traceHeaders(ctx: Context): Record<string, string> {
  const out: Record<string, string> = {};
  propagation.inject(ctx, out);
  return out;
}

/** The headers the registered propagators read (W3C trace context and baggage), as traceHeaders writes them. */
const PROPAGATED = ['traceparent', 'tracestate', 'baggage'];

/**
 * The context carried by incoming headers (AMQP headers or Node's HTTP request headers, whose
 * names are lower case). Only the propagated headers are read: this runs for every webhook and message.
 */
export function contextFrom(headers: Carrier | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  const flat: Record<string, string> = {};
  for (const k of PROPAGATED) {
    const v = headers[k];
    if (typeof v === 'string') flat[k] = v;
    else if (Buffer.isBuffer(v)) flat[k] = v.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, flat);
}

/**
 * Runs `fn` in a new span, child of `parent`, ending it and recording a thrown error. `fn` gets the
 * span's context to pass on: the parent of its own spans and what `traceHeaders` sends along.
 * Contexts are passed by hand, never made "active": activating one (AsyncLocalStorage) makes Node
 * run a hook for every promise the process creates, which cost the worker about 7 % of its CPU
 * (JSONata alone creates dozens of promises per event).
 */
export async function inSpan<T>(
  name: string,
  /** `links`: where a new trace must start (a bulk page, a batch of many events), the spans it continues. */
  options: { kind?: SpanKind; attributes?: Record<string, string | number>; parent: Context; links?: Link[] },
  fn: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(name, { kind: options.kind, attributes: options.attributes, links: options.links }, options.parent);
  try {
    return await fn(span, trace.setSpan(options.parent, span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
