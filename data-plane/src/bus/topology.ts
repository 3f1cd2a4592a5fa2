import { destinationRetryQueueName, Exchanges, Queues, quorumArgs, retryQueueName, RoutingKeys } from '@datahub/proto';
import type { Channel } from 'amqplib';

/**
 * Declares the bus (idempotent; every process does it on connect).
 * - hub.work / hub.bulk: quorum, with a delivery limit as a backstop: a message redelivered more
 *   than `deliveryLimit` times (a worker crashing on it, say) goes to hub.dead, where the worker
 *   records it as a dead letter instead of looping for ever.
 * - Delay buckets: one quorum queue per delay with a queue-level TTL that dead-letters back to
 *   hub.work. Never per-message TTL: an expired message behind a longer-lived one would wait at
 *   the head of the queue. The buckets are the retry schedule plus a ladder for parking
 *   (longer waits are several hops; see delay.ladder.ts).
 */
export async function declareTopology(ch: Channel, bucketsMs: number[], deliveryLimit: number): Promise<void> {
  await ch.assertExchange(Exchanges.events, 'direct', { durable: true });
  await ch.assertExchange(Exchanges.config, 'fanout', { durable: true });
  await ch.assertQueue(Queues.poison, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.assertQueue(Queues.dead, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  // Classic: requests are short-lived (each carries its caller's timeout as a per-message TTL).
  await ch.assertQueue(Queues.sandbox, { durable: true });
  for (const [queue, key] of [[Queues.work, RoutingKeys.work], [Queues.bulk, RoutingKeys.bulk]] as const) {
    await ch.assertQueue(queue, {
      durable: true,
      arguments: { ...quorumArgs, 'x-delivery-limit': deliveryLimit, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': Queues.dead },
    });
    await ch.bindQueue(queue, Exchanges.events, key);
  }
  for (const delayMs of new Set(bucketsMs)) {
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
  // Webhook destinations: their own queue and delay queues, so batches never sit in front of sync work.
  await ch.assertQueue(Queues.destinations, {
    durable: true,
    arguments: { ...quorumArgs, 'x-delivery-limit': deliveryLimit, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': Queues.poison },
  });
  await ch.bindQueue(Queues.destinations, Exchanges.events, RoutingKeys.destinations);
  for (const delayMs of new Set(bucketsMs)) {
    await ch.assertQueue(destinationRetryQueueName(delayMs), {
      durable: true,
      arguments: {
        ...quorumArgs,
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': Exchanges.events,
        'x-dead-letter-routing-key': RoutingKeys.destinations,
      },
    });
  }
}
