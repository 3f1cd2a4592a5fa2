import { ContentTypes, fromBinary, HubEventSchema, Queues, retryQueueName, toBinary, type HubEvent } from '@datahub/proto';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { logger } from '../logger';
import { Attr, contextFrom, inSpan } from '../otel/tracing';
import type { ConfigStore } from '../store/config.store';
import { nextRetryDelay } from './delivery.classify';
import type { OutcomeRecorder } from './outcome.recorder';
import type { PipelineResult, SyncPipeline } from './sync.pipeline';

export interface WorkConsumerDeps {
  store: ConfigStore;
  pipeline: SyncPipeline;
  recorder: OutcomeRecorder;
  retryScheduleMs: number[];
  prefetch: number;
}

const REQUEUE_PAUSE_MS = 1_000;

/**
 * Consumes hub.work. Every message is recorded in PostgreSQL, then moved on (a retry bucket or a
 * dead letter) with a broker confirm, and only then acknowledged: a crash anywhere before the ack
 * redelivers it, so nothing is lost (delivery is at-least-once).
 */
export async function startWorkConsumer(ch: ConfirmChannel, deps: WorkConsumerDeps): Promise<void> {
  await ch.prefetch(deps.prefetch);
  await ch.consume(Queues.work, (msg) => {
    if (msg) void handle(ch, msg, deps);
  });
}

async function handle(ch: ConfirmChannel, msg: ConsumeMessage, deps: WorkConsumerDeps): Promise<void> {
  let event: HubEvent;
  try {
    event = fromBinary(HubEventSchema, msg.content);
    if (!event.eventId || !event.syncId) throw new Error('event without id or sync');
  } catch (err) {
    logger.error({ err: String(err), messageId: msg.properties.messageId }, 'undecodable message; moving it to hub.poison');
    return ch.nack(msg, false, false);
  }
  const attributes = {
    [Attr.event]: event.eventId, [Attr.tenant]: event.tenantId, [Attr.project]: event.projectId,
    [Attr.sync]: event.syncId, [Attr.syncVersion]: event.syncVersion, [Attr.attempt]: event.attempt,
  };
  try {
    await inSpan('hub.work process', { kind: SpanKind.CONSUMER, parent: contextFrom(msg.properties.headers), attributes }, async (span) => {
      const started = performance.now();
      const plan = await deps.store.plan(event.syncId, event.syncVersion);
      const result: PipelineResult = plan
        ? await deps.pipeline.run(event, plan)
        : { kind: 'permanent', reason: `sync ${event.syncId} has no plan for version ${event.syncVersion}`, status: null };
      span.setAttribute(Attr.outcome, result.kind);
      const durationMs = Math.round(performance.now() - started);
      const traceId = trace.getActiveSpan()?.spanContext().traceId ?? null;
      await settle(ch, msg, event, result, { durationMs, traceId }, deps);
    });
    ch.ack(msg);
  } catch (err) {
    // Recording or republishing failed (database or broker trouble): hand the message back.
    logger.error({ err, eventId: event.eventId }, 'could not settle the event; it will be redelivered');
    setTimeout(() => {
      try {
        ch.nack(msg, false, true);
      } catch {
        /* channel gone: the broker redelivers unacked messages anyway */
      }
    }, REQUEUE_PAUSE_MS).unref();
  }
}

async function settle(
  ch: ConfirmChannel, msg: ConsumeMessage, event: HubEvent, result: PipelineResult,
  meta: { durationMs: number; traceId: string | null }, deps: WorkConsumerDeps,
): Promise<void> {
  const base = { status: result.status, durationMs: meta.durationMs, traceId: meta.traceId };
  if (result.kind === 'ok' || result.kind === 'filtered') {
    await deps.recorder.attempt(event, { ...base, outcome: result.kind === 'ok' ? 'delivered' : 'filtered', error: result.kind === 'ok' ? null : result.reason });
    return;
  }
  const delayMs = result.kind === 'retryable' ? nextRetryDelay(deps.retryScheduleMs, event.attempt, result.retryAfterMs) : null;
  if (delayMs === null) {
    const reason = result.kind === 'retryable' ? `attempts exhausted (${event.attempt}); last: ${result.reason}` : result.reason;
    await deps.recorder.deadLetter(event, { ...base, outcome: 'dead_lettered', error: reason, response: result.response ?? null }, msg.content);
    logger.warn({ eventId: event.eventId, reason }, 'event dead-lettered');
    return;
  }
  await deps.recorder.attempt(event, { ...base, outcome: 'retrying', error: result.reason });
  const next = { ...event, attempt: event.attempt + 1 };
  await publishConfirmed(ch, retryQueueName(delayMs), Buffer.from(toBinary(HubEventSchema, next)), msg);
}

/** Sends the next attempt to a retry bucket (default exchange, queue name as key), keeping the trace headers. */
function publishConfirmed(ch: ConfirmChannel, queue: string, body: Buffer, original: ConsumeMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    ch.sendToQueue(queue, body, {
      persistent: true,
      messageId: original.properties.messageId,
      contentType: ContentTypes.hubEvent,
      headers: original.properties.headers,
    }, (err) => (err ? reject(err) : resolve()));
  });
}
