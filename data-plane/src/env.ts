import { telemetryEnvShape } from '@datahub/connectors';
import { z } from 'zod';

const msList = z.string().transform((s, ctx) => {
  const values = s.split(',').map((v) => Number(v.trim()));
  if (!values.length || values.some((v) => !Number.isInteger(v) || v <= 0)) {
    ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of positive integers (milliseconds)' });
  }
  return values;
});

const schema = z.object({
  HUB_DATABASE_URL: z.string().url(),
  HUB_AMQP_URL: z.string().min(1),
  HUB_MASTER_KEYS: z.string().min(1),
  HUB_INGRESS_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  HUB_INGRESS_HOST: z.string().default('127.0.0.1'),
  HUB_INGRESS_MAX_BODY_BYTES: z.coerce.number().int().positive().default(256 * 1024),
  /** A body over the limit is answered 413 at once, then up to this much of it is read and dropped (so the client reads the 413 instead of a reset); past it, the connection is closed. */
  HUB_INGRESS_DISCARD_MAX_BYTES: z.coerce.number().int().min(0).default(16 * 1024 * 1024),
  /** Delays of the retry buckets, from the webhooks guide: 30 s, 60 s, 2 m, 5 m, 10 m, then dead letter. */
  HUB_RETRY_SCHEDULE_MS: msList.default(() => [30_000, 60_000, 120_000, 300_000, 600_000]),
  /** Extra delay queues for parking events (open breaker, long Retry-After); waits are hops through them. */
  HUB_PARK_LADDER_MS: msList.default(() => [1_000, 5_000, 30_000, 60_000, 120_000, 300_000, 600_000]),
  /** Backstop on hub.work: a message redelivered more often than this goes to hub.dead and becomes a dead letter. */
  HUB_DELIVERY_LIMIT: z.coerce.number().int().positive().default(20),
  /** How long a publish may wait for the broker's confirm before the caller gets 503 / keeps its message. */
  HUB_PUBLISH_CONFIRM_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** Circuit breaker per target (the integration spec): this many failures within the window open it. */
  HUB_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  HUB_BREAKER_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
  /** How long an open circuit waits before one probe goes through (half-open). */
  HUB_BREAKER_OPEN_MS: z.coerce.number().int().positive().default(30_000),
  HUB_WORKER_PREFETCH: z.coerce.number().int().positive().default(128),
  /** Unacknowledged hub.bulk messages per worker: small, so bulk runs never crowd out real-time work. */
  HUB_BULK_PREFETCH: z.coerce.number().int().positive().default(8),
  /** The worker's health port (/healthz, /readyz); 0 picks a free one. */
  HUB_WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Scheduler: how often a stand-by tries the leader lock (and the leader probes its lock connection). */
  HUB_SCHEDULER_LOCK_RETRY_MS: z.coerce.number().int().positive().default(2_000),
  /** Scheduler: how often the leader looks for due schedules and open runs. */
  HUB_SCHEDULER_TICK_MS: z.coerce.number().int().positive().default(1_000),
  /** Scheduler: how often a run re-reads its progress while waiting (backpressure, draining). */
  HUB_SCHEDULER_POLL_MS: z.coerce.number().int().positive().default(250),
  HUB_SCHEDULER_MAX_CONCURRENT: z.coerce.number().int().positive().default(4),
  HUB_SCHEDULER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HUB_DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** On SIGTERM: how long to keep answering (with Connection: close and readiness 503) before closing. */
  HUB_DRAIN_GRACE_MS: z.coerce.number().int().min(0).default(3_000),
  HUB_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  HUB_OUTBOUND_ALLOW_HOSTS: z.string().default(''),
  /** The operator's HTTP CONNECT proxy (http://[user:pass@]host:port) for every outbound call; a tenant may name its own (setTenantEgressProxy). */
  HUB_EGRESS_PROXY_URL: z.string().optional(),
  /** Unacked messages the webhook-destination consumer may hold (open batches keep theirs until sent). */
  HUB_DESTINATION_PREFETCH: z.coerce.number().int().positive().default(1_000),
  /** A destination whose deliveries all fail for this long is disabled and its owner notified. */
  HUB_DESTINATION_DISABLE_AFTER_MS: z.coerce.number().int().positive().default(24 * 3_600_000),
  /** How often last_used_at of keys and credentials is written (batched off the hot path). */
  HUB_LAST_USED_FLUSH_MS: z.coerce.number().int().positive().default(5_000),
  /** How often the worker writes the usage counters it added up in memory (a crash loses at most this much). */
  HUB_USAGE_FLUSH_MS: z.coerce.number().int().positive().default(2_000),
  /** How long ingress trusts a tenant's quota state before reading it again (also dropped on ConfigChanged). */
  HUB_QUOTA_REFRESH_MS: z.coerce.number().int().positive().default(10_000),
  /** Size of the record, payload and response excerpts in the delivery log (characters). */
  HUB_LOG_EXCERPT_CHARS: z.coerce.number().int().min(64).max(65_536).default(1_024),
  /** The delivery-log retention job: how often it runs and how many rows one delete takes. */
  HUB_LOG_CLEANUP_EVERY_MS: z.coerce.number().int().positive().default(600_000),
  HUB_LOG_CLEANUP_BATCH: z.coerce.number().int().positive().default(1_000),
  /** Backstop for caches in case a ConfigChanged message is missed. */
  HUB_CACHE_MAX_AGE_MS: z.coerce.number().int().positive().default(60_000),
});

export type DataPlaneEnv = z.infer<typeof schema>;

export function loadDataPlaneEnv(source: NodeJS.ProcessEnv = process.env): DataPlaneEnv {
  return schema.parse(source);
}

/**
 * What the logger and the tracing bootstrap need before the rest is parsed (they load first).
 */
export function loadProcessEnv(source: NodeJS.ProcessEnv = process.env) {
  return z.object({
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ...telemetryEnvShape,
  }).parse(source);
}
