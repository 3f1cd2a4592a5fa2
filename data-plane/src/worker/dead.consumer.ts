import { fromBinary, HubEventSchema, Queues, type HubEvent } from '@datahub/proto';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { Attr, contextFrom, inSpan, workerMetrics, type ConfirmedPublisher } from '@datahub/connectors';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';
import type { BulkProgress } from './bulk.progress';
import type { OutcomeRecorder } from './outcome.recorder';

interface DeadDeps { db: Database; recorder: OutcomeRecorder; publisher: ConfirmedPublisher; stopped: () => boolean; bulkProgress?: BulkProgress }

/**
 * Consumes hub.dead: what RabbitMQ took out of hub.work or hub.bulk (redelivered past the delivery
 * limit, or rejected). A readable event becomes a dead letter with the broker's reason, so it is
 * visible and replayable; an unreadable message goes to hub.poison for a person.
 */
export async function startDeadConsumer(ch: ConfirmChannel, deps: DeadDeps): Promise<void> {
  await ch.consume(Queues.dead, (msg) => {
    if (!msg) return;
    void handle(msg, deps).then(() => ch.ack(msg), (err) => {
      logger.error({ err: String(err) }, 'could not record a message of hub.dead; it will be redelivered');
      setTimeout(() => {
        try {
          ch.nack(msg, false, true);
        } catch {
          /* channel gone: redelivered anyway */
        }
      }, 1_000).unref();
    });
  });
}

async function handle(msg: ConsumeMessage, deps: DeadDeps): Promise<void> {
  let event: HubEvent | null = null;
  try {
    event = fromBinary(HubEventSchema, msg.content);
    if (!event.eventId || !event.syncId || !event.tenantId) event = null;
  } catch {
    event = null;
  }
  if (!event) {
    logger.error({ messageId: msg.properties.messageId }, 'unreadable message moved to hub.poison');
    return deps.publisher.sendToQueue(Queues.poison, msg.content, { headers: msg.properties.headers, messageId: msg.properties.messageId });
  }
  const reason = `the broker gave up on it: ${deathReason(msg)}`;
  const ev = event;
  // The dead letter joins the webhook's trace (its traceparent travelled with the message).
  const attributes = { [Attr.event]: ev.eventId, [Attr.tenant]: ev.tenantId, [Attr.sync]: ev.syncId, [Attr.attempt]: ev.attempt, [Attr.outcome]: 'dead_lettered' };
  // Counted as dead-lettered (no plan at hand, so without a target host) and shown in the delivery log.
  const usage = { tenantId: ev.tenantId, projectId: ev.projectId, syncId: ev.syncId, target: '', counts: { dead_lettered: 1 } };
  const writes = { log: { entityKey: ev.entityId || null, recordExcerpt: null, payloadExcerpt: null }, usage };
  let traceId: string | null = null;
  await inSpan('dead letter', { parent: contextFrom(msg.properties.headers), attributes }, async (span) => {
    traceId = span.spanContext().traceId;
    await deps.db.untilUp(() => deps.recorder.deadLetter(ev, { outcome: 'dead_lettered', status: null, durationMs: 0, traceId, target: null, error: reason, response: null }, msg.content, writes), deps.stopped);
  });
  // A bulk run's event that ends here counts as failed, or its run would wait for it for ever.
  if (ev.bulkRunId && deps.bulkProgress) await deps.db.untilUp(() => deps.bulkProgress!.count(ev.bulkRunId, 'failed'), deps.stopped);
  workerMetrics().deadLetter(null, 'delivery_limit');
  logger.warn({ eventId: ev.eventId, traceId, reason }, 'event dead-lettered by the broker');
}

/** From RabbitMQ's x-first-death-reason / x-death headers: `delivery_limit`, `rejected`, … */
function deathReason(msg: ConsumeMessage): string {
  const h = msg.properties.headers ?? {};
  const why = String(h['x-first-death-reason'] ?? (h['x-death'] as { reason?: string }[] | undefined)?.[0]?.reason ?? 'unknown');
  return why === 'delivery_limit' ? `redelivered more times than the delivery limit (${String(h['x-delivery-count'] ?? '?')} deliveries); a worker kept failing on it` : why;
}
