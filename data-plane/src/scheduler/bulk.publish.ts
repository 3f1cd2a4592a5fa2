import type { ConfirmedPublisher } from '@datahub/connectors';
import { ContentTypes, create, Exchanges, Headers, HubEventSchema, RoutingKeys, TriggerKind, messageBytes } from '@datahub/proto';
import { randomUUID } from 'node:crypto';
import type { RunRow } from './run.store';

export interface BulkRecord {
  id: string;
  record: unknown;
}

/**
 * Publishes records of a bulk run to hub.bulk as pushed HubEvents carrying the record and its id,
 * confirmed and routed; resolves when every one is. A repair skips change detection (the target
 * drifted while the hub's fingerprint says it is in step).
 */
export async function publishRecords(publisher: ConfirmedPublisher, run: RunRow, projectId: string, records: BulkRecord[], headers: Record<string, string>, repair = false): Promise<void> {
  const receivedAtMs = BigInt(Date.now());
  await Promise.all(records.map((r) => {
    const event = create(HubEventSchema, {
      eventId: randomUUID(), tenantId: run.tenantId, projectId, syncId: run.syncId, syncVersion: run.syncVersion,
      trigger: TriggerKind.PUSH, entityId: r.id, recordJson: Buffer.from(JSON.stringify(r.record), 'utf8'), attempt: 1,
      receivedAtMs, bulkRunId: run.id, skipChangeDetection: repair,
    });
    return publisher.publish(Exchanges.events, RoutingKeys.bulk, messageBytes(HubEventSchema, event), {
      messageId: event.eventId, contentType: ContentTypes.hubEvent, timestamp: Math.floor(Date.now() / 1000),
      headers: { ...headers, [Headers.eventId]: event.eventId },
    });
  }));
}
