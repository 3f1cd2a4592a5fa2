import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The processes that serve /metrics; the `service` label every series carries. */
export const SERVICES = ['gateway', 'control-plane', 'ingress', 'worker', 'scheduler'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Label values past a cap are counted as "other", so an unexpected stream of hosts or names cannot grow memory. */
export class LabelCap {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}
  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

/**
 * Children of a labelled metric kept by their label values, so the hot path does one or two map
 * lookups per update and allocates nothing (prom-client would build a label object and a hash key).
 */
export class Children<T> {
  private readonly byFirst = new Map<string, Map<string, T>>();
  constructor(private readonly make: (a: string, b: string) => T) {}
  get(a: string, b = ''): T {
    let inner = this.byFirst.get(a);
    if (!inner) this.byFirst.set(a, (inner = new Map()));
    let child = inner.get(b);
    if (!child) inner.set(b, (child = this.make(a, b)));
    return child;
  }
}

const registries = new Map<ServiceName, Registry>();
let processRegistry: Registry | null = null;

/**
 * The registry of one service. The test stack runs every service in one Node process, so each
 * keeps its own registry and /metrics of the gateway shows the gateway's series only.
 */
export function serviceRegistry(service: ServiceName): Registry {
  let r = registries.get(service);
  if (!r) {
    r = new Registry();
    r.setDefaultLabels({ service });
    registries.set(service, r);
  }
  return r;
}

/** Process metrics (CPU, memory, event loop lag) and every registry this process filled, in the text format. */
export async function metricsText(service: ServiceName): Promise<string> {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'hub_' });
  }
  return (await serviceRegistry(service).metrics()) + '\n' + (await processRegistry.metrics());
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Answers GET /metrics for `service`; false when the request is for another path. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, service: ServiceName): boolean {
  if ((req.url ?? '').split('?')[0] !== '/metrics') return false;
  metricsText(service).then(
    (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
    () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
  );
  return true;
}

/** Requests a service answered, by route (a fixed list per service) and status code. */
export class HttpMetrics {
  private readonly requests: Counter<'route' | 'code'>;
  private readonly duration: Histogram<'route'>;
  private readonly counters: Children<Counter.Internal>;
  private readonly timers: Children<Histogram.Internal<string>>;

  constructor(registry: Registry) {
    this.requests = new Counter({ name: 'hub_http_requests_total', help: 'HTTP requests answered, by route and status code', labelNames: ['route', 'code'], registers: [registry] });
    this.duration = new Histogram({
      name: 'hub_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route', labelNames: ['route'], registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.counters = new Children((route, code) => this.requests.labels(route, code));
    this.timers = new Children((route) => this.duration.labels(route));
  }

  /** `route` must come from a fixed list (never the raw path: it holds inbound keys). */
  observe(route: string, status: number, seconds: number): void {
    this.counters.get(route, statusLabel(status)).inc();
    this.timers.get(route).observe(seconds);
  }
}

const STATUS_LABELS = new Map<number, string>();
/** The status as a label without a string allocation per request. */
function statusLabel(status: number): string {
  let s = STATUS_LABELS.get(status);
  if (!s) {
    s = status >= 100 && status < 600 ? String(status) : 'other';
    STATUS_LABELS.set(status, s);
  }
  return s;
}

const httpByService = new Map<ServiceName, HttpMetrics>();
export function httpMetrics(service: ServiceName): HttpMetrics {
  let m = httpByService.get(service);
  if (!m) httpByService.set(service, (m = new HttpMetrics(serviceRegistry(service))));
  return m;
}
