import { assertOutboundUrl, operatorEgressProxy, BrokerConnection, pollQueueDepth, schedulerMetrics, ConfirmedPublisher, ConnectorClient, connectorRegistry, CredentialVault, OAuth2TokenCache, parseAllowHosts, parseKeyring, vaultRefresher } from '@datahub/connectors';
import { WebhookSender } from '@datahub/connectors';
import { Queues, retryQueueName } from '@datahub/proto';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { subscribeConfig } from './bus/config.subscriber';
import { declareTopology } from './bus/topology';
import { startDestinationConsumer } from './destinations/destination.consumer';
import { DestinationHealth } from './destinations/destination.health';
import { DestinationStore } from './destinations/destination.store';
import { EventTypeCache } from './destinations/event-type.cache';
import type { DataPlaneEnv } from './env';
import { startHealthServer } from './health.server';
import { EventPublisher } from './ingress/event.publisher';
import { createIngressServer } from './ingress/ingress.server';
import { logger } from './logger';
import { ConfigStore } from './store/config.store';
import { Database } from './store/db.pool';
import { LastUsedRecorder } from './store/last-used.recorder';
import { CircuitBreakers } from './worker/circuit.breaker';
import { CredentialHealth } from './worker/credential.health';
import { startDeadConsumer } from './worker/dead.consumer';
import { delayBuckets } from './worker/delay.ladder';
import { EntityLeases } from './worker/entity.lease';
import { OutcomeRecorder } from './worker/outcome.recorder';
import { SyncPipeline } from './worker/sync.pipeline';
import { TargetGuard } from './worker/target.guard';
import { TargetRates } from './worker/target.rates';
import { sensitiveKeys, type SensitiveKey } from './worker/log.excerpt';
import { LogRetention } from './worker/log.retention';
import { UsageMeter } from './worker/usage.meter';
import { announceQuotaThresholds } from './worker/usage.quota';
import { startWorkConsumer } from './worker/work.consumer';
import { startSandboxConsumer } from './sandbox/sandbox.consumer';
import { BulkProgress } from './worker/bulk.progress';
import { repairRecords } from './scheduler/audit.runner';
import { LeaderLock } from './scheduler/leader.lock';
import { RunStore } from './scheduler/run.store';
import { lead } from './scheduler/scheduler.loop';

export interface Running {
  close(): Promise<void>;
}

function shared(env: DataPlaneEnv) {
  const db = new Database(env.HUB_DATABASE_URL, env.HUB_DATABASE_POOL_MAX);
  const keyring = parseKeyring(env.HUB_MASTER_KEYS);
  const vault = new CredentialVault(keyring, async (sql, params) => (await db.query(sql, params)).rows, (fn) =>
    db.tx((client) => fn(async (sql, params) => (await client.query(sql, params)).rows)));
  const store = new ConfigStore(db, vault, keyring, env.HUB_CACHE_MAX_AGE_MS, env.HUB_QUOTA_REFRESH_MS, parseAllowHosts(env.HUB_OUTBOUND_ALLOW_HOSTS));
  const buckets = delayBuckets(env.HUB_RETRY_SCHEDULE_MS, env.HUB_PARK_LADDER_MS);
  return { db, store, vault, buckets, keyring };
}

/** Why a process should get no traffic, or null: what /readyz reports. */
function readiness(broker: BrokerConnection, db: Database, draining: () => boolean): () => string | null {
  return () => draining() ? 'shutting down' : !broker.connected ? 'message broker unreachable'
    : broker.blocked ? `message broker blocked publishing (${broker.blocked})` : !db.up ? 'database unreachable' : null;
}

/** The ingress process: HTTP /hooks → hub.events, with a confirmed, routed publish before every 202. */
export async function startIngress(env: DataPlaneEnv): Promise<Running & { url: string; port: number }> {
  const { db, store, buckets } = shared(env);
  const eventTypes = new EventTypeCache(db, env.HUB_CACHE_MAX_AGE_MS);
  const broker = new BrokerConnection(env.HUB_AMQP_URL, async (ch) => {
    await declareTopology(ch, buckets, env.HUB_DELIVERY_LIMIT);
    await subscribeConfig(ch, (change) => {
      store.apply(change);
      eventTypes.apply(change);
    });
  }, 'ingress', logger);
  await broker.start();
  const usage = new LastUsedRecorder(db, 'inbound_keys', env.HUB_LAST_USED_FLUSH_MS);
  let draining = false;
  const server = createIngressServer({
    store, publisher: new EventPublisher(new ConfirmedPublisher(broker, env.HUB_PUBLISH_CONFIRM_TIMEOUT_MS)), maxBodyBytes: env.HUB_INGRESS_MAX_BODY_BYTES,
    discard: { maxBytes: env.HUB_INGRESS_DISCARD_MAX_BYTES, timeoutMs: 10_000 },
    notReady: readiness(broker, db, () => draining), draining: () => draining, onKeyUsed: (id) => usage.used(id),
    businessEvents: { eventTypes },
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.HUB_INGRESS_PORT, env.HUB_INGRESS_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${env.HUB_INGRESS_HOST}:${port}`,
    port,
    close: once(async () => {
      // Readiness goes 503 and every answer says Connection: close, so clients and load balancers
      // move away without a reset; then stop taking requests and let in-flight ones finish.
      draining = true;
      await new Promise((r) => setTimeout(r, env.HUB_DRAIN_GRACE_MS));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await usage.close();
      await broker.close();
      await db.end();
    }),
  };
}

/** The worker process: consumes hub.work (and hub.dead) and runs each event's sync plan. */
export async function startWorker(env: DataPlaneEnv): Promise<Running & { healthPort: number }> {
  const { db, store, vault, buckets, keyring } = shared(env);
  const allowHosts = parseAllowHosts(env.HUB_OUTBOUND_ALLOW_HOSTS);
  const refresher = vaultRefresher(vault, (url) => assertOutboundUrl(url, allowHosts), (id, secret) => store.replaceCredential(id, secret));
  const usage = new LastUsedRecorder(db, 'credentials', env.HUB_LAST_USED_FLUSH_MS);
  const credentialOf = async (id: string) => {
    usage.used(id);
    return store.credential(id);
  };
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const client = new ConnectorClient(credentialOf, new OAuth2TokenCache(), allowHosts, env.HUB_HTTP_TIMEOUT_MS, refresher, undefined, operatorEgressProxy(env.HUB_EGRESS_PROXY_URL, allowHosts));
  const breakers = new CircuitBreakers(db, {
    failures: env.HUB_BREAKER_FAILURES, windowMs: env.HUB_BREAKER_WINDOW_MS, openMs: env.HUB_BREAKER_OPEN_MS,
  }, env.HUB_HTTP_TIMEOUT_MS * 4);
  const guard = new TargetGuard(breakers, new TargetRates(db), new CredentialHealth(db));
  // Syncs whose target is a webhook destination hand their events to hub.destinations (made below, once the broker exists).
  const pipeline = new SyncPipeline(client, guard, undefined, (tenantId) => store.egressProxy(tenantId), (e) => toDestinations.publishForDestinations(e));
  const meter = new UsageMeter(db, env.HUB_USAGE_FLUSH_MS, (tenantIds) => announceQuotaThresholds(db, tenantIds));
  const recorder = new OutcomeRecorder(db, holder, meter);
  // One redactor per cached list of field names (the list is replaced, not mutated, when it changes).
  const redactors = new WeakMap<string[], SensitiveKey>();
  const log = {
    excerptChars: env.HUB_LOG_EXCERPT_CHARS,
    sensitive: async (tenantId: string) => {
      const fields = await store.sensitiveFields(tenantId);
      let keys = redactors.get(fields);
      if (!keys) redactors.set(fields, (keys = sensitiveKeys(fields)));
      return keys;
    },
  };
  const cleanup = new LogRetention(db, { everyMs: env.HUB_LOG_CLEANUP_EVERY_MS, batch: env.HUB_LOG_CLEANUP_BATCH });
  const registry = connectorRegistry();
  let stopping = false;
  const stopped = () => stopping;
  let drain: (() => Promise<void>) | null = null;
  let drainDestinations: (() => Promise<void>) | null = null;
  const destinations = new DestinationStore(db, keyring, env.HUB_CACHE_MAX_AGE_MS);
  const sender = new WebhookSender(allowHosts, Math.min(env.HUB_HTTP_TIMEOUT_MS, 10_000), operatorEgressProxy(env.HUB_EGRESS_PROXY_URL, allowHosts));
  const bulkProgress = new BulkProgress(db);
  const leases = new EntityLeases(db, holder);
  const broker: BrokerConnection = new BrokerConnection(env.HUB_AMQP_URL, async (ch) => {
    await declareTopology(ch, buckets, env.HUB_DELIVERY_LIMIT);
    await subscribeConfig(ch, (change) => {
      store.apply(change);
      destinations.apply(change);
    });
    const common = {
      db, store, pipeline, recorder, publisher, bucketsMs: buckets, stopped, log, leases, bulkProgress,
      defaults: { retryScheduleMs: env.HUB_RETRY_SCHEDULE_MS, timeoutMs: env.HUB_HTTP_TIMEOUT_MS },
      connectorRate: (id: string) => registry.get(id)?.rateLimit?.perSecond ?? 0,
    };
    const consumer = await startWorkConsumer(ch, { ...common, prefetch: env.HUB_WORKER_PREFETCH });
    // Bulk runs: its own consumer with a small prefetch, so hub.bulk never crowds out real-time work.
    const bulk = await startWorkConsumer(ch, { ...common, queue: Queues.bulk, prefetch: env.HUB_BULK_PREFETCH });
    drain = async () => {
      await Promise.all([consumer.drain(), bulk.drain()]);
    };
    await startDeadConsumer(ch, { db, recorder, publisher, stopped, bulkProgress });
    await startSandboxConsumer(ch, { db, client, guard, publisher, proxyOf: (tenantId) => store.egressProxy(tenantId), timeoutMs: env.HUB_HTTP_TIMEOUT_MS, connectorRate: (id) => registry.get(id)?.rateLimit?.perSecond ?? 0 });
    // Webhook destinations: their own consumer and batcher beside the sync pipeline (destinations/README.md).
    drainDestinations = (await startDestinationConsumer(ch, {
      db, store: destinations, sender, publisher, stopped, bucketsMs: buckets, retryScheduleMs: env.HUB_RETRY_SCHEDULE_MS,
      prefetch: env.HUB_DESTINATION_PREFETCH,
      health: new DestinationHealth(db, publisher, env.HUB_DESTINATION_DISABLE_AFTER_MS, (id, tenantId) => destinations.forget(id, tenantId)),
    })).drain;
  }, 'worker', logger);
  const publisher = new ConfirmedPublisher(broker, env.HUB_PUBLISH_CONFIRM_TIMEOUT_MS);
  const toDestinations = new EventPublisher(publisher);
  await broker.start();
  const health = await startHealthServer(env.HUB_WORKER_HEALTH_PORT, env.HUB_INGRESS_HOST, readiness(broker, db, stopped), 'worker');
  // Queues this process declared (a missing one would close the channel), polled every few seconds.
  const depthQueues = [Queues.work, Queues.bulk, Queues.dead, Queues.poison, Queues.destinations, ...[...new Set(buckets)].map(retryQueueName)];
  const stopDepth = pollQueueDepth('worker', () => (broker.connected ? broker.channel : null), depthQueues);
  logger.info({ healthPort: health.port, holder }, 'worker health on /healthz and /readyz');
  return {
    healthPort: health.port,
    close: once(async () => {
      // Not ready first; stop taking messages and finish (record, ack) the ones in hand.
      stopping = true;
      stopDepth();
      await Promise.race([Promise.all([drain?.(), drainDestinations?.()]), new Promise((r) => setTimeout(r, 15_000))]);
      await recorder.flush();
      await meter.close();
      await cleanup.close();
      await bulkProgress.flush();
      await broker.close();
      breakers.close();
      await usage.close();
      await client.close();
      await sender.close();
      health.server.close();
      await db.end();
    }),
  };
}

/**
 * The scheduler process: one leader at a time (a PostgreSQL advisory lock on a connection of its
 * own) queues cron runs and audits and executes bulk runs (publishing to hub.bulk) and audits;
 * stand-bys wait for the lock. `isLeader` is for health checks and tests.
 */
export async function startScheduler(env: DataPlaneEnv): Promise<Running & { healthPort: number; isLeader(): boolean; holder: string }> {
  const { db, store, vault, buckets } = shared(env);
  const allowHosts = parseAllowHosts(env.HUB_OUTBOUND_ALLOW_HOSTS);
  const refresher = vaultRefresher(vault, (url) => assertOutboundUrl(url, allowHosts), (id, secret) => store.replaceCredential(id, secret));
  const client = new ConnectorClient((id) => store.credential(id), new OAuth2TokenCache(), allowHosts, env.HUB_HTTP_TIMEOUT_MS, refresher, undefined, operatorEgressProxy(env.HUB_EGRESS_PROXY_URL, allowHosts));
  const breakers = new CircuitBreakers(db, {
    failures: env.HUB_BREAKER_FAILURES, windowMs: env.HUB_BREAKER_WINDOW_MS, openMs: env.HUB_BREAKER_OPEN_MS,
  }, env.HUB_HTTP_TIMEOUT_MS * 4);
  const guard = new TargetGuard(breakers, new TargetRates(db), new CredentialHealth(db));
  const registry = connectorRegistry();
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const broker = new BrokerConnection(env.HUB_AMQP_URL, async (ch) => {
    await declareTopology(ch, buckets, env.HUB_DELIVERY_LIMIT);
    await subscribeConfig(ch, (change) => store.apply(change));
  }, 'scheduler', logger);
  await broker.start();
  const publisher = new ConfirmedPublisher(broker, env.HUB_PUBLISH_CONFIRM_TIMEOUT_MS);
  const lock = new LeaderLock(env.HUB_DATABASE_URL, env.HUB_SCHEDULER_LOCK_RETRY_MS);
  let leader = false;
  const running = lock.run(async (leadership) => {
    leader = true;
    try {
      await lead(leadership, {
        db, store, client, guard, registry, publisher, holder, runs: new RunStore(db),
        repairRecords: (auditId) => repairRecords(db, auditId),
        tickMs: env.HUB_SCHEDULER_TICK_MS, pollMs: env.HUB_SCHEDULER_POLL_MS, maxConcurrent: env.HUB_SCHEDULER_MAX_CONCURRENT,
        timeoutMs: env.HUB_HTTP_TIMEOUT_MS, connectorRate: (id) => registry.get(id)?.rateLimit?.perSecond ?? 0,
      });
    } finally {
      leader = false;
    }
  });
  const health = await startHealthServer(env.HUB_SCHEDULER_HEALTH_PORT, env.HUB_INGRESS_HOST, readiness(broker, db, () => false), 'scheduler');
  schedulerMetrics().leadership(() => leader);
  logger.info({ healthPort: health.port, holder }, 'scheduler started; waiting for leadership');
  return {
    healthPort: health.port,
    holder,
    isLeader: () => leader,
    close: once(async () => {
      await lock.stop();
      await running;
      await broker.close();
      breakers.close();
      await client.close();
      health.server.close();
      await db.end();
    }),
  };
}

/** Closing twice is closing once. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
