import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span, type Link, type SpanKind, type Tracer } from '@opentelemetry/api';

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
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const out: Record<string, string> = {};
  propagation.inject(ctx, out);
  return out;
}

/** The context carried by incoming headers (AMQP headers or HTTP request headers). */
export function contextFrom(headers: Carrier | undefined): Context {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v === 'string') flat[k.toLowerCase()] = v;
    else if (Buffer.isBuffer(v)) flat[k.toLowerCase()] = v.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, flat);
}

/** Runs `fn` inside a new span (child of `parent`), ending it and recording a thrown error. */
export async function inSpan<T>(
  name: string,
  /** `links`: where a new trace must start (a bulk page, a batch of many events), the spans it continues. */
  options: { kind?: SpanKind; attributes?: Record<string, string | number>; parent?: Context; links?: Link[] },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind, attributes: options.attributes, links: options.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
