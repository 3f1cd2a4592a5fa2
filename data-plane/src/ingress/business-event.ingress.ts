import { BrokerUnavailable, businessEventObject, EVENT_TYPE_NAME, MessageNotRouted, validateEvent } from '@datahub/connectors';
import { create, DestinationEventSchema } from '@datahub/proto';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { EventTypeCache } from '../destinations/event-type.cache';
import { logger } from '../logger';
import type { ConfigStore } from '../store/config.store';
import type { EventPublisher } from './event.publisher';
import { authenticateKey, HookRefusal, parseBody, readLimitedBody } from './hook.request';

/** POST /hooks/{inboundKey}/events/{type}: a business event (e.g. contract.signed) for the key's tenant. */
export const EVENT_PATH = /^\/hooks\/([^/]+)\/events\/([^/]+)\/?$/;

export interface BusinessEventDeps {
  eventTypes: EventTypeCache;
}

interface IngressParts {
  store: ConfigStore;
  publisher: EventPublisher;
  maxBodyBytes: number;
  onKeyUsed: (keyId: string) => void;
}

/**
 * Authenticates by any inbound key of the tenant, validates the JSON (or form) body against the type's
 * declared schema (400 invalid_event with the JSON pointer of the failing field) and answers 202
 * once the broker holds it; the destination consumer fans it out to subscribed destinations.
 */
export async function acceptBusinessEvent(req: IncomingMessage, pathKey: string, type: string, deps: IngressParts, events: BusinessEventDeps): Promise<{ eventId: string }> {
  if (req.method !== 'POST') throw new HookRefusal(405, 'method_not_allowed', 'Post business events as JSON', { allow: 'POST' });
  const record = await authenticateKey(req, pathKey, deps.store);
  if (!EVENT_TYPE_NAME.test(type)) throw new HookRefusal(404, 'unknown_event_type', `"${type}" is not an event type name (e.g. contract.signed)`);
  const validate = await events.eventTypes.validator(record.tenantId, type);
  if (!validate) throw new HookRefusal(404, 'unknown_event_type', `The tenant has declared no event type ${type} (declareEventType)`);
  const body = parseBody(await readLimitedBody(req, deps.maxBodyBytes), req.headers['content-type']);
  // Marketing platforms post their engagement webhooks form-encoded (ActiveCampaign: type, date_time,
  // contact[email], …): the fields become the event's data as they are named.
  if (body.kind === 'none') throw new HookRefusal(400, 'missing_record', 'Post the event as JSON or form fields');
  const invalid = validateEvent(validate, body.value);
  if (invalid) {
    throw new HookRefusal(400, 'invalid_event', `The event does not match the schema of ${type}: ${invalid.pointer || '(the body)'} ${invalid.message}`, {}, { pointer: invalid.pointer });
  }
  const eventId = randomUUID();
  const now = Date.now();
  try {
    await deps.publisher.publishForDestinations(create(DestinationEventSchema, {
      eventId, tenantId: record.tenantId, destinationId: '', stream: 'business_event', resourceType: type,
      eventJson: Buffer.from(JSON.stringify(businessEventObject(type, body.value, eventId, now))), receivedAtMs: BigInt(now),
    }));
  } catch (err) {
    if (err instanceof BrokerUnavailable || err instanceof MessageNotRouted) {
      logger.warn({ err: err.message }, 'business event not accepted by the broker');
      throw new HookRefusal(503, 'broker_unavailable', 'The hub cannot queue events right now; retry later', { 'retry-after': '5' });
    }
    throw err;
  }
  deps.onKeyUsed(record.id);
  return { eventId };
}
