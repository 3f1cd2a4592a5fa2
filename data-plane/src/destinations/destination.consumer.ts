import { ContentTypes, create, DestinationBatchSchema, DestinationEventSchema, Exchanges, fromBinary, Queues, RoutingKeys, messageBytes, type DestinationBatch, type DestinationEvent } from '@datahub/proto';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { logger } from '../logger';
import { ladderStep } from '../worker/delay.ladder';
import { BatchAccumulator } from './batch.accumulator';
import { deliverBatch, park, type BatchDeliveryDeps } from './batch.deliver';

export interface DestinationConsumerDeps extends BatchDeliveryDeps {
  /** Unacked messages this consumer may hold: open batches hold theirs until they are sent. */
  prefetch: number;
  stopped: () => boolean;
}

const REQUEUE_PAUSE_MS = 1_000;
const LOCAL_WAIT_MAX_MS = 2_000;

interface Pending {
  msg: ConsumeMessage;
  event: DestinationEvent;
}

/**
 * Consumes hub.destinations, beside the worker's hub.work and apart from the sync pipeline:
 * - an event without a destination is fanned out (one message per enabled destination whose
 *   filter takes it), then acknowledged;
 * - an event for a destination joins the open batch of (destination, stream, resource type); its
 *   message stays unacknowledged until the batch is delivered, parked for a retry or dead-lettered,
 *   so a crash mid-batch loses nothing: the broker redelivers every message of it to a new consumer;
 * - a batch back from a delay queue is sent again as it is (same batch id = webhook-id).
 */
export async function startDestinationConsumer(ch: ConfirmChannel, deps: DestinationConsumerDeps): Promise<{ drain(): Promise<void> }> {
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const ack = (msg: ConsumeMessage) => {
    try {
      ch.ack(msg);
    } catch {
      /* channel gone: the broker redelivers it (at-least-once) */
    }
  };
  const requeue = (msg: ConsumeMessage) => setTimeout(() => {
    try {
      ch.nack(msg, false, true);
    } catch {
      /* channel gone: redelivered anyway */
    }
  }, REQUEUE_PAUSE_MS).unref();

  const batches = new BatchAccumulator<Pending>((_key, items) => track(flush(items)));

  async function flush(items: Pending[]): Promise<void> {
    const first = items[0]!.event;
    const batch = create(DestinationBatchSchema, {
      batchId: randomUUID(), tenantId: first.tenantId, destinationId: first.destinationId, stream: first.stream, resourceType: first.resourceType,
      eventsJson: items.map((i) => i.event.eventJson), attempt: 1, notBeforeMs: 0n, createdAtMs: BigInt(Date.now()),
    });
    try {
      await deliverBatch(batch, deps);
      for (const i of items) ack(i.msg);
    } catch (err) {
      logger.error({ err: String(err), batchId: batch.batchId }, 'could not settle a webhook batch; its events will be redelivered');
      for (const i of items) requeue(i.msg);
    }
  }

  async function handle(msg: ConsumeMessage): Promise<void> {
    const decoded = decode(msg);
    if (!decoded) {
      logger.error({ messageId: msg.properties.messageId }, 'unreadable message on hub.destinations; handing it to hub.poison');
      return ch.nack(msg, false, false);
    }
    try {
      if (decoded.kind === 'batch') return await retry(msg, decoded.batch);
      const { event } = decoded;
      if (!event.destinationId) {
        await fanOut(event);
        return ack(msg);
      }
      const dest = await deps.db.untilUp(() => deps.store.destination(event.destinationId), deps.stopped);
      if (!dest || !dest.enabled) {
        logger.warn({ eventId: event.eventId, destinationId: event.destinationId }, `event not delivered: the destination is ${dest ? 'disabled' : 'deleted'}`);
        return ack(msg);
      }
      batches.add(`${dest.id}|${event.stream}|${event.resourceType}`, { msg, event }, dest.batchMaxEvents, dest.batchMaxWaitMs);
    } catch (err) {
      logger.error({ err: String(err), messageId: msg.properties.messageId }, 'could not handle a destination message; it will be redelivered');
      requeue(msg);
    }
  }

  async function retry(msg: ConsumeMessage, batch: DestinationBatch): Promise<void> {
    const step = ladderStep(Number(batch.notBeforeMs) - Date.now(), deps.bucketsMs, LOCAL_WAIT_MAX_MS);
    if (step.kind === 'park') {
      await park(batch, Number(batch.notBeforeMs) - Date.now(), deps);
      return ack(msg);
    }
    if (step.kind === 'wait') await new Promise((r) => setTimeout(r, step.ms));
    await deliverBatch(batch, deps);
    ack(msg);
  }

  async function fanOut(event: DestinationEvent): Promise<void> {
    const ids = await deps.db.untilUp(() => deps.store.subscribed(event.tenantId, event.stream, event.resourceType), deps.stopped);
    for (const destinationId of ids) {
      const one = create(DestinationEventSchema, { ...event, destinationId });
      await deps.publisher.publish(Exchanges.events, RoutingKeys.destinations, messageBytes(DestinationEventSchema, one), {
        mandatory: true, persistent: true, messageId: `${event.eventId}:${destinationId}`, contentType: ContentTypes.destinationEvent,
      });
    }
    if (!ids.length) logger.info({ eventId: event.eventId, type: event.resourceType }, 'no enabled destination takes this event type');
  }

  await ch.prefetch(deps.prefetch);
  const { consumerTag } = await ch.consume(Queues.destinations, (msg) => {
    if (msg) track(handle(msg));
  });
  return {
    drain: async () => {
      await ch.cancel(consumerTag).catch(() => undefined);
      // Open batches go out now rather than wait for their timers; then everything in hand settles.
      while (inFlight.size || batches.pending) {
        batches.flushAll();
        await Promise.all([...inFlight]);
      }
    },
  };
}

type Decoded = { kind: 'event'; event: DestinationEvent } | { kind: 'batch'; batch: DestinationBatch } | null;

function decode(msg: ConsumeMessage): Decoded {
  try {
    if (msg.properties.contentType === ContentTypes.destinationBatch) {
      const batch = fromBinary(DestinationBatchSchema, msg.content);
      return batch.batchId && batch.destinationId && batch.eventsJson.length ? { kind: 'batch', batch } : null;
    }
    const event = fromBinary(DestinationEventSchema, msg.content);
    return event.eventId && event.tenantId && event.resourceType && event.stream ? { kind: 'event', event } : null;
  } catch {
    return null;
  }
}
