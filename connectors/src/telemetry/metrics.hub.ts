import { Counter, Gauge, Histogram } from 'prom-client';
import { Children, LabelCap, serviceRegistry } from './metrics.registry';

/**
 * The hub's own metrics, one object per service, made on first use. No tenant, sync or event id is
 * ever a label (those are in traces and the delivery log); hosts and GraphQL operation names are
 * capped (LabelCap), past the cap counted as "other".
 */
const MAX_HOSTS = 200;
const MAX_OPERATIONS = 300;

export class IngressMetrics {
  private readonly events: Counter<'trigger'>;
  private readonly bytes: Counter;
  private readonly byTrigger: Children<Counter.Internal>;
  constructor() {
    const registers = [serviceRegistry('ingress')];
    this.events = new Counter({ name: 'hub_ingress_events_total', help: 'Events accepted (published and confirmed), by trigger: notify, push, business_event', labelNames: ['trigger'], registers });
    this.bytes = new Counter({ name: 'hub_ingress_bytes_total', help: 'Body bytes of accepted webhook events', registers });
    this.byTrigger = new Children((t) => this.events.labels(t));
  }
  accepted(trigger: 'notify' | 'push' | 'business_event', bytes: number): void {
    this.byTrigger.get(trigger).inc();
    if (bytes > 0) this.bytes.inc(bytes);
  }
}

export type BreakerStateName = 'closed' | 'half_open' | 'open';
const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, half_open: 1, open: 2 };

export class WorkerMetrics {
  private readonly hosts = new LabelCap(MAX_HOSTS);
  private readonly attempts: Children<Counter.Internal>;
  private readonly retries: Children<Counter.Internal>;
  private readonly dead: Children<Counter.Internal>;
  private readonly latency: Children<Histogram.Internal<string>>;
  private readonly responses: Children<Counter.Internal>;
  private readonly breaker: Gauge<'target_host'>;
  private readonly rate: Gauge<'target_host'>;
  private breakerHosts = new Set<string>();

  constructor() {
    const registers = [serviceRegistry('worker')];
    const attempts = new Counter({ name: 'hub_delivery_attempts_total', help: 'Finished attempts, by target host and outcome (delivered, retrying, dead_lettered, filtered, unchanged, superseded)', labelNames: ['target_host', 'outcome'], registers });
    const retries = new Counter({ name: 'hub_delivery_retries_total', help: 'Attempts that failed transiently and were scheduled again, by target host', labelNames: ['target_host'], registers });
    const dead = new Counter({ name: 'hub_dead_letters_total', help: 'Events given up on, by target host and cause (permanent, exhausted, delivery_limit)', labelNames: ['target_host', 'cause'], registers });
    const latency = new Histogram({
      name: 'hub_delivery_latency_seconds', help: 'Receipt at ingress to accepted by the target, by target host', labelNames: ['target_host'], registers,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    });
    const responses = new Counter({ name: 'hub_upstream_responses_total', help: 'Calls to sources and targets, by host and status code ("none": no response)', labelNames: ['target_host', 'code'], registers });
    this.breaker = new Gauge({ name: 'hub_breaker_state', help: 'Circuit breaker per target host: 0 closed, 1 half-open, 2 open', labelNames: ['target_host'], registers });
    this.rate = new Gauge({ name: 'hub_rate_limit_utilisation_ratio', help: 'Share of the target rate limit used in the last window (0..1; alerts at 0.8 and 0.95)', labelNames: ['target_host'], registers });
    this.attempts = new Children((h, o) => attempts.labels(h, o));
    this.retries = new Children((h) => retries.labels(h));
    this.dead = new Children((h, c) => dead.labels(h, c));
    this.latency = new Children((h) => latency.labels(h));
    this.responses = new Children((h, c) => responses.labels(h, c));
  }

  /** One finished attempt; `receivedAtMs` is when ingress accepted the event (for delivered ones). */
  attempt(host: string | null, outcome: string, receivedAtMs: number, nowMs: number): void {
    const h = this.hosts.of(host || 'none');
    this.attempts.get(h, outcome).inc();
    if (outcome === 'retrying') this.retries.get(h).inc();
    else if (outcome === 'delivered' && receivedAtMs > 0) this.latency.get(h).observe(Math.max(0, nowMs - receivedAtMs) / 1000);
  }

  deadLetter(host: string | null, cause: 'permanent' | 'exhausted' | 'delivery_limit'): void {
    this.dead.get(this.hosts.of(host || 'none'), cause).inc();
  }

  response(host: string, status: number | null): void {
    this.responses.get(this.hosts.of(host || 'none'), status === null ? 'none' : codeLabel(status)).inc();
  }

  /** Every host whose breaker is not closed; the others go back to 0. */
  breakers(open: Iterable<[host: string, state: BreakerStateName]>): void {
    const now = new Map<string, number>();
    for (const [host, state] of open) {
      const h = this.hosts.of(host);
      now.set(h, Math.max(now.get(h) ?? 0, BREAKER_VALUE[state]));
    }
    for (const h of this.breakerHosts) if (!now.has(h)) this.breaker.set({ target_host: h }, 0);
    for (const [h, v] of now) this.breaker.set({ target_host: h }, v);
    this.breakerHosts = new Set([...this.breakerHosts, ...now.keys()]);
  }

  rateUtilisation(host: string, ratio: number): void {
    this.rate.set({ target_host: this.hosts.of(host) }, ratio);
  }
}

const CODE_LABELS = new Map<number, string>();
function codeLabel(status: number): string {
  let s = CODE_LABELS.get(status);
  if (!s) CODE_LABELS.set(status, (s = status >= 100 && status < 600 ? String(status) : 'other'));
  return s;
}

export class GraphqlMetrics {
  private readonly names = new LabelCap(MAX_OPERATIONS);
  private readonly duration: Histogram<'operation_type' | 'operation_name' | 'outcome'>;
  constructor() {
    this.duration = new Histogram({
      name: 'hub_graphql_operation_duration_seconds', help: 'GraphQL operations, by type, name (capped) and outcome (ok, error)',
      labelNames: ['operation_type', 'operation_name', 'outcome'], registers: [serviceRegistry('control-plane')],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }
  observe(type: string, name: string | null, ok: boolean, seconds: number): void {
    const op = name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? this.names.of(name) : 'anonymous';
    this.duration.observe({ operation_type: type, operation_name: op, outcome: ok ? 'ok' : 'error' }, seconds);
  }
}

/** The scheduler: whether this process holds the leader lock (exactly one should, across replicas). */
export class SchedulerMetrics {
  private isLeader: () => boolean = () => false;
  constructor() {
    const self = this;
    new Gauge({
      name: 'hub_scheduler_leader', help: '1 while this scheduler holds the leader lock', registers: [serviceRegistry('scheduler')],
      collect() {
        this.set(self.isLeader() ? 1 : 0);
      },
    });
  }
  leadership(isLeader: () => boolean): void {
    this.isLeader = isLeader;
  }
}

let ingress: IngressMetrics | null = null;
let scheduler: SchedulerMetrics | null = null;
export const schedulerMetrics = (): SchedulerMetrics => (scheduler ??= new SchedulerMetrics());
let worker: WorkerMetrics | null = null;
let graphql: GraphqlMetrics | null = null;
export const ingressMetrics = (): IngressMetrics => (ingress ??= new IngressMetrics());
export const workerMetrics = (): WorkerMetrics => (worker ??= new WorkerMetrics());
export const graphqlMetrics = (): GraphqlMetrics => (graphql ??= new GraphqlMetrics());
