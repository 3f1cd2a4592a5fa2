import { businessEventObject, compileEventSchema, EVENT_TYPE_NAME, validateEvent, type ConfirmedPublisher, type EventValidator } from '@datahub/connectors';
import { ConfigChangeKind, ContentTypes, create, DestinationEventSchema, Exchanges, RoutingKeys, messageBytes } from '@datahub/proto';
import { randomUUID } from 'node:crypto';
import type { ConfigBus } from '../bus/config.publisher';
import { DomainError, InvalidInput, Unavailable } from '../common/errors';
import type { Idempotency } from '../common/idempotency';
import type { TenantScope } from '../common/tenant.scope';
import { DestinationEntity, EventTypeEntity } from '../destinations/destination.entity';
import type { DeclareEventTypeInput, PublishBusinessEventInput, PublishBusinessEventPayload } from './event-type.types';

/**
 * Business events (the integration spec's partnership.created, contract.signed, …): types a tenant
 * declares with a JSON Schema, events validated against it and handed to hub.destinations, where
 * the destination consumer fans them out to every enabled destination whose filter takes the type.
 */
export class EventTypeService {
  private readonly compiled = new Map<string, { at: number; validate: EventValidator }>();

  constructor(private readonly amqp: ConfirmedPublisher, private readonly bus: ConfigBus, private readonly idempotency: Idempotency) {}

  /** Declares a type or replaces its schema and description. */
  async declare(scope: TenantScope, input: DeclareEventTypeInput): Promise<EventTypeEntity> {
    if (!EVENT_TYPE_NAME.test(input.name) || input.name.length > 100) {
      throw new InvalidInput('input.name', 'name must be dotted lower case words, e.g. contract.signed');
    }
    const compiled = compileEventSchema(input.schema);
    if (!compiled.ok) throw new InvalidInput('input.schema', `schema is not a valid JSON Schema: ${compiled.message}`);
    if ((input.description ?? '').length > 1000) throw new InvalidInput('input.description', 'description must be at most 1000 characters');
    await scope.ds.query(
      `INSERT INTO event_types (tenant_id, name, description, schema) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, name) DO UPDATE SET description = EXCLUDED.description, schema = EXCLUDED.schema, updated_at = now()`,
      [scope.tenantId, input.name, input.description ?? '', JSON.stringify(input.schema)],
    );
    await this.bus.publish({ kind: ConfigChangeKind.DESTINATION_CHANGED, tenantId: scope.tenantId });
    return scope.repo(EventTypeEntity).findOneByOrFail(scope.where<EventTypeEntity>({ name: input.name }));
  }

  async publish(scope: TenantScope, input: PublishBusinessEventInput): Promise<PublishBusinessEventPayload> {
    const type = await scope.repo(EventTypeEntity).findOneBy(scope.where<EventTypeEntity>({ name: input.type }));
    if (!type) throw new InvalidInput('input.type', `No event type ${input.type}: declare it first (declareEventType)`);
    const invalid = validateEvent(this.validator(type), input.data);
    if (invalid) {
      throw new DomainError('BAD_USER_INPUT', `data${invalid.pointer ? ` at ${invalid.pointer}` : ''} ${invalid.message}`, { field: 'input.data', pointer: invalid.pointer });
    }
    const { id } = await this.idempotency.once(scope, 'publishBusinessEvent', input, async () => {
      const eventId = randomUUID();
      await this.send(scope.tenantId, type.name, input.data, eventId);
      return { id: eventId };
    });
    const destinations = await scope.repo(DestinationEntity).createQueryBuilder('d')
      .where('d.tenant_id = :t AND d.enabled AND (cardinality(d.event_types) = 0 OR :type = ANY(d.event_types))', { t: scope.tenantId, type: type.name })
      .getCount();
    return { eventId: id, type: type.name, destinations };
  }

  private validator(type: EventTypeEntity): EventValidator {
    const at = type.updatedAt.getTime();
    const hit = this.compiled.get(type.id);
    if (hit && hit.at === at) return hit.validate;
    const compiled = compileEventSchema(type.schema);
    if (!compiled.ok) throw new InvalidInput('input.type', `The schema of ${type.name} no longer compiles: ${compiled.message}; declare it again`);
    this.compiled.set(type.id, { at, validate: compiled.validate });
    return compiled.validate;
  }

  private async send(tenantId: string, type: string, data: unknown, eventId: string): Promise<void> {
    const now = Date.now();
    const message = create(DestinationEventSchema, {
      eventId, tenantId, destinationId: '', stream: 'business_event', resourceType: type,
      eventJson: Buffer.from(JSON.stringify(businessEventObject(type, data, eventId, now))), receivedAtMs: BigInt(now),
    });
    try {
      await this.amqp.publish(Exchanges.events, RoutingKeys.destinations, messageBytes(DestinationEventSchema, message), {
        mandatory: true, persistent: true, messageId: eventId, contentType: ContentTypes.destinationEvent,
      });
    } catch (e) {
      throw new Unavailable(`The event was not accepted by the message broker (${e instanceof Error ? e.message : String(e)}); nothing was sent, try again`);
    }
  }
}
