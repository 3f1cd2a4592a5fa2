/**
 * The RabbitMQ topology: every exchange, queue and routing key the planes use, in one place.
 *
 * hub.events (direct) ──work──▶ hub.work (quorum)        real-time work
 *                     ──bulk──▶ hub.bulk (quorum)        bulk runs (later), never starves real-time
 * hub.retry.<delay> (quorum, queue-level TTL) ──dead-letter to hub.events/work──▶ hub.work
 * hub.work / hub.bulk ──x-delivery-limit exceeded──▶ hub.dead (worker records them as dead letters)
 * hub.poison: messages that cannot be decoded at all, kept for a person (no consumer)
 * hub.config (fanout) ──▶ one exclusive queue per data-plane process
 * hub.sandbox (classic, no exchange): sandbox run requests from the control plane to any worker;
 *   each carries a per-message TTL (the caller's timeout) and a reply-to (RabbitMQ direct reply-to)
 * hub.events ──destinations──▶ hub.destinations (quorum): change events and batch retries for webhook
 *   destinations; hub.dest.retry.<delay> (queue-level TTL) dead-letter back to it
 */
export const Exchanges = {
  events: 'hub.events',
  config: 'hub.config',
} as const;

export const Queues = {
  work: 'hub.work',
  bulk: 'hub.bulk',
  dead: 'hub.dead',
  poison: 'hub.poison',
  sandbox: 'hub.sandbox',
  destinations: 'hub.destinations',
} as const;

export const RoutingKeys = {
  work: 'work',
  bulk: 'bulk',
  destinations: 'destinations',
} as const;

/** Name of the retry queue for one delay; the name carries the delay (`hub.retry.30s`, `hub.retry.250ms`). */
export function retryQueueName(delayMs: number): string {
  return delayMs % 1000 === 0 ? `hub.retry.${delayMs / 1000}s` : `hub.retry.${delayMs}ms`;
}

/** The delay queue of webhook-destination batches for one delay (`hub.dest.retry.30s`); it dead-letters to hub.destinations. */
export function destinationRetryQueueName(delayMs: number): string {
  return retryQueueName(delayMs).replace('hub.retry.', 'hub.dest.retry.');
}

/** Arguments every quorum queue with dead-lettering needs so a dead-lettered message is never lost. */
export const quorumArgs = {
  'x-queue-type': 'quorum',
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
} as const;

/** AMQP header names. Trace context uses the W3C names so OpenTelemetry propagators read them as is. */
export const Headers = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  eventId: 'x-hub-event-id',
} as const;

export const ContentTypes = {
  hubEvent: 'application/x-protobuf; messageType=datahub.v1.HubEvent',
  configChanged: 'application/x-protobuf; messageType=datahub.v1.ConfigChanged',
  sandboxRequest: 'application/x-protobuf; messageType=datahub.v1.SandboxRequest',
  sandboxReply: 'application/x-protobuf; messageType=datahub.v1.SandboxReply',
  destinationEvent: 'application/x-protobuf; messageType=datahub.v1.DestinationEvent',
  destinationBatch: 'application/x-protobuf; messageType=datahub.v1.DestinationBatch',
} as const;
