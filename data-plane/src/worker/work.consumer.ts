import { fromBinary, HubEventSchema, Queues, type HubEvent, type SyncPlan } from '@datahub/proto';
import { SpanKind } from '@opentelemetry/api';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { logger } from '../logger';
import { Attr, contextFrom, inSpan } from '@datahub/connectors';
import type { ConfigStore } from '../store/config.store';
import type { Database } from '../store/db.pool';
import { ladderStep } from './delay.ladder';
import type { BulkProgress } from './bulk.progress';
import type { EntityLeases } from './entity.lease';
import { republish, settle, type SettleDeps } from './event.settle';
import { destinationLabel, entityKeyOf, type PipelineResult, type RunCapture, type RunContext, type SyncPipeline } from './sync.pipeline';
import { hostOf } from './target.guard';

export interface WorkConsumerDeps extends SettleDeps {
  db: Database;
  store: ConfigStore;
  pipeline: SyncPipeline;
  leases: EntityLeases;
  prefetch: number;
  /** hub.work (default) or hub.bulk: the same pipeline, each queue with its own consumer and prefetch. */
  queue?: string;
  /** Counts the final outcome of events that belong to a bulk run. */
  bulkProgress: BulkProgress;
  defaults: { retryScheduleMs: number[]; timeoutMs: number };
  /** The published request limit of a connector (0: none). */
  connectorRate: (connector: string) => number;
  stopped: () => boolean;
}

const REQUEUE_PAUSE_MS = 1_000;
/** A parked event due within this is waited for in memory rather than sent round the broker again. */
const LOCAL_WAIT_MAX_MS = 2_000;

/**
 * Consumes hub.work. Every message ends recorded in PostgreSQL (attempt row, dead letter) and
 * moved on (a delay bucket) with a broker confirm, and only then is it acknowledged: a crash
 * anywhere before the ack redelivers it (at-least-once). While PostgreSQL is away the message is
 * kept and the write retried; the prefetch window then stops new work arriving.
 */
export async function startWorkConsumer(ch: ConfirmChannel, deps: WorkConsumerDeps): Promise<{ drain(): Promise<void> }> {
  const inFlight = new Set<Promise<void>>();
  // Per-consumer prefetch (basic.qos without global) applies to the consumer started next.
  await ch.prefetch(deps.prefetch);
  const { consumerTag } = await ch.consume(deps.queue ?? Queues.work, (msg) => {
    if (!msg) return;
    const p = handle(ch, msg, deps).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  return {
    drain: async () => {
      await ch.cancel(consumerTag).catch(() => undefined);
      await Promise.all([...inFlight]);
    },
  };
}

async function handle(ch: ConfirmChannel, msg: ConsumeMessage, deps: WorkConsumerDeps): Promise<void> {
  let event: HubEvent;
  try {
    event = fromBinary(HubEventSchema, msg.content);
    if (!event.eventId || !event.syncId) throw new Error('event without id or sync');
  } catch (err) {
    logger.error({ err: String(err), messageId: msg.properties.messageId }, 'undecodable message; handing it to hub.dead');
    return ch.nack(msg, false, false);
  }
  try {
    if (await parkedStill(msg, event, deps)) return ch.ack(msg);
    const plan = await deps.db.untilUp(() => deps.store.plan(event.syncId, event.syncVersion), deps.stopped);
    const key = plan ? entityKeyOf(event, plan) : null;
    const run = () => runEvent(msg, event, plan, key, deps);
    await (key ? deps.leases.serial(event.syncId, key, run) : run());
    ch.ack(msg);
  } catch (err) {
    // The broker or the database failed us in a way waiting did not cure: hand the message back.
    logger.error({ err: String(err), eventId: event.eventId }, 'could not settle the event; it will be redelivered');
    setTimeout(() => {
      try {
        ch.nack(msg, false, true);
      } catch {
        /* channel gone: the broker redelivers unacked messages anyway */
      }
    }, REQUEUE_PAUSE_MS).unref();
  }
}

/** An event parked until later: wait a short remainder here, or send it round another delay bucket. */
async function parkedStill(msg: ConsumeMessage, event: HubEvent, deps: WorkConsumerDeps): Promise<boolean> {
  const step = ladderStep(Number(event.notBeforeMs) - Date.now(), deps.bucketsMs, LOCAL_WAIT_MAX_MS);
  if (step.kind === 'now') return false;
  if (step.kind === 'wait') {
    await new Promise((r) => setTimeout(r, step.ms));
    return false;
  }
  await republish(msg, event, step.bucketMs, deps);
  return true;
}

async function runEvent(msg: ConsumeMessage, event: HubEvent, plan: SyncPlan | null, key: string | null, deps: WorkConsumerDeps): Promise<void> {
  const attributes = {
    [Attr.event]: event.eventId, [Attr.tenant]: event.tenantId, [Attr.project]: event.projectId,
    [Attr.sync]: event.syncId, [Attr.syncVersion]: event.syncVersion, [Attr.attempt]: event.attempt,
  };
  await inSpan('hub.work process', { kind: SpanKind.CONSUMER, parent: contextFrom(msg.properties.headers), attributes }, async (span, traceCtx) => {
    const started = performance.now();
    const policy = plan?.delivery;
    const retryScheduleMs = policy?.retryScheduleMs.length ? policy.retryScheduleMs : deps.defaults.retryScheduleMs;
    let result: PipelineResult;
    const capture: RunCapture = { fetched: false };
    if (!plan) {
      result = { kind: 'permanent', reason: `sync ${event.syncId} has no plan for version ${event.syncVersion}`, status: null, target: null };
    } else {
      const timeoutMs = policy?.timeoutMs || deps.defaults.timeoutMs;
      // Long enough for a fetch and three target calls, each up to the timeout.
      const leaseMs = timeoutMs * 4 + 10_000;
      const last = key ? await deps.db.untilUp(() => deps.leases.acquire(event.syncId, key, leaseMs, deps.stopped), deps.stopped) : null;
      const ctx: RunContext = {
        capture, entityKey: key, last, timeoutMs,
        ratePerSec: policy?.rateLimitPerSec || (plan.target ? deps.connectorRate(plan.target.connector) : 0),
        sourceRatePerSec: plan.source ? deps.connectorRate(plan.source.connector) : 0,
        bulk: event.bulkRunId !== '', traceCtx,
      };
      result = await deps.pipeline.run(event, plan, ctx);
    }
    span.setAttribute(Attr.outcome, result.kind);
    const durationMs = Math.round(performance.now() - started);
    const final = await deps.db.untilUp(() => settle({
      msg, event, result, entityKey: key, retryScheduleMs, durationMs, traceCtx, capture, targetHost: plan?.target ? hostOf(plan.target.baseUrl) : plan?.destination ? destinationLabel(plan) : '',
    }, deps), deps.stopped);
    if (event.bulkRunId) await deps.db.untilUp(() => deps.bulkProgress.count(event.bulkRunId, final), deps.stopped);
  });
}
