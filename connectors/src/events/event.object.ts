import { canonicalHash } from '../json/canonical.json';
/** UTC, second precision, as the guide writes changed_at. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One business event as it appears in a payload's events[]: the guide's event object fields
 * (resource_type, hash, changed_at) plus the event's id and data.
 */
export function businessEventObject(type: string, data: unknown, eventId: string, atMs: number): Record<string, unknown> {
  return { resource_type: type, event_id: eventId, hash: canonicalHash(data), changed_at: isoSeconds(atMs), data };
}

/** One change-log event: the guide's fields for an entity a sync (or an engagement webhook) changed, with the record. */
export function changeLogObject(resourceType: string, entityId: string, record: unknown, atMs: number): Record<string, unknown> {
  return { resource_type: resourceType, common_model_id: entityId, hash: canonicalHash(record), changed_at: isoSeconds(atMs), data: record };
}
