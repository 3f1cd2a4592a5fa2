import { webhookPayload, type ConfirmedPublisher, type WebhookSender } from '@datahub/connectors';
import { ContentTypes, create, DestinationBatchSchema, destinationRetryQueueName, messageBytes, type DestinationBatch } from '@datahub/proto';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';
import { bucketFor } from '../worker/delay.ladder';
import { classify, nextRetryDelay } from '../worker/delivery.classify';
import type { DestinationHealth } from './destination.health';
import { DestinationStore } from './destination.store';

export interface BatchDeliveryDeps {
  db: Database;
  store: DestinationStore;
  sender: WebhookSender;
  publisher: ConfirmedPublisher;
  health: DestinationHealth;
  retryScheduleMs: readonly number[];
  bucketsMs: number[];
}

export type BatchOutcome = 'delivered' | 'retrying' | 'dead_lettered';

/**
 * Sends one batch and makes its outcome durable: the batch row (delivery log; a dead-lettered row
 * keeps the events for a person), and for a retry the batch itself in a delay queue (confirmed),
 * same batch id. Resolves only when that is done, so the caller may then ack its messages.
 * Classification and delays are the worker's (the webhooks guide's status classes and buckets).
 */
export async function deliverBatch(batch: DestinationBatch, deps: BatchDeliveryDeps): Promise<BatchOutcome> {
  const dest = await deps.store.destination(batch.destinationId);
  const events = batch.eventsJson.map((e) => JSON.parse(Buffer.from(e).toString('utf8')) as unknown);
  if (!dest || !dest.enabled) {
    const reason = dest ? 'the destination is disabled; not sent' : 'the destination was deleted; not sent';
    await record(batch, events, 'dead_lettered', null, reason, 0, deps.db);
    logger.warn({ batchId: batch.batchId, destinationId: batch.destinationId, events: events.length }, reason);
    return 'dead_lettered';
  }
  const body = JSON.stringify(webhookPayload(batch.stream, batch.resourceType, batch.tenantId, events));
  const result = await deps.sender.send({
    url: dest.url, headers: dest.headers, timeoutMs: dest.timeoutMs, hmacHeader: dest.hmacHeader, secrets: DestinationStore.activeSecrets(dest),
  }, body, batch.batchId);
  const verdict = classify(result);
  if (verdict.kind === 'ok') {
    await record(batch, events, 'delivered', result.status, null, result.durationMs, deps.db);
    await deps.health.succeeded(dest.id);
    return 'delivered';
  }
  const delayMs = verdict.kind === 'retryable' ? nextRetryDelay(deps.retryScheduleMs, batch.attempt, verdict.retryAfterMs) : null;
  const disabled = await deps.health.failed(dest.id, verdict.reason);
  if (delayMs !== null && !disabled) {
    const next = create(DestinationBatchSchema, { ...batch, attempt: batch.attempt + 1, notBeforeMs: BigInt(Date.now() + delayMs) });
    await park(next, delayMs, deps);
    await record(batch, events, 'retrying', result.status, verdict.reason, result.durationMs, deps.db);
    return 'retrying';
  }
  const why = disabled ? `${verdict.reason}; the destination was disabled` : verdict.kind === 'retryable' ? `attempts exhausted (${batch.attempt}); last: ${verdict.reason}` : verdict.reason;
  await record(batch, events, 'dead_lettered', result.status, why, result.durationMs, deps.db);
  logger.warn({ batchId: batch.batchId, destinationId: dest.id, reason: why }, 'webhook batch dead-lettered');
  return 'dead_lettered';
}

/** Into the destination delay queue that fits the wait (a longer wait is several hops, see delay.ladder.ts). */
export function park(batch: DestinationBatch, waitMs: number, deps: Pick<BatchDeliveryDeps, 'publisher' | 'bucketsMs'>): Promise<void> {
  return deps.publisher.sendToQueue(destinationRetryQueueName(bucketFor(waitMs, deps.bucketsMs)), messageBytes(DestinationBatchSchema, batch), {
    messageId: batch.batchId, contentType: ContentTypes.destinationBatch, persistent: true,
  });
}

async function record(batch: DestinationBatch, events: unknown[], outcome: BatchOutcome, status: number | null, error: string | null, durationMs: number, db: Database): Promise<void> {
  await db.untilUp(() => db.query(
    `INSERT INTO destination_batches (id, tenant_id, destination_id, stream, resource_type, event_count, events, outcome, attempts, last_status, last_error, duration_ms, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, to_timestamp($13::double precision / 1000))
     ON CONFLICT (id) DO UPDATE SET outcome = EXCLUDED.outcome, attempts = EXCLUDED.attempts, last_status = EXCLUDED.last_status,
       last_error = EXCLUDED.last_error, duration_ms = EXCLUDED.duration_ms, updated_at = now()`,
    [batch.batchId, batch.tenantId, batch.destinationId, batch.stream, batch.resourceType, events.length, JSON.stringify(events), outcome, batch.attempt, status, error, durationMs, Number(batch.createdAtMs)],
  ));
}
