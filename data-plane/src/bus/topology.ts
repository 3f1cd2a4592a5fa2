import { Exchanges, Queues, quorumArgs, retryQueueName, RoutingKeys } from '@datahub/proto';
import type { Channel } from 'amqplib';

/** Where messages the worker cannot even decode go, instead of being dropped. */
export const POISON_QUEUE = 'hub.poison';

/**
 * Declares the bus (idempotent; every process does it on connect). Retry buckets: one quorum queue
 * per delay with a queue-level TTL that dead-letters back to hub.events/work. Never per-message
 * TTL: an expired message behind a longer-lived one would wait at the head of the queue.
 */
export async function declareTopology(ch: Channel, retryScheduleMs: number[]): Promise<void> {
  await ch.assertExchange(Exchanges.events, 'direct', { durable: true });
  await ch.assertExchange(Exchanges.config, 'fanout', { durable: true });
  await ch.assertQueue(POISON_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (const [queue, key] of [[Queues.work, RoutingKeys.work], [Queues.bulk, RoutingKeys.bulk]] as const) {
    await ch.assertQueue(queue, {
      durable: true,
      arguments: { ...quorumArgs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': POISON_QUEUE },
    });
    await ch.bindQueue(queue, Exchanges.events, key);
  }
  for (const delayMs of new Set(retryScheduleMs)) {
    await ch.assertQueue(retryQueueName(delayMs), {
      durable: true,
      arguments: {
        ...quorumArgs,
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': Exchanges.events,
        'x-dead-letter-routing-key': RoutingKeys.work,
      },
    });
  }
}
