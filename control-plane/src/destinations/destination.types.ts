import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DeliveryOutcome } from '../deliveries/delivery.types';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node.types';
import type { DestinationBatchEntity, DestinationEntity, DestinationSecretEntity } from './destination.entity';

@ObjectType({ implements: Node, description: 'A signing secret of a destination. The value is shown once, when created.' })
export class DestinationSecret extends Node {
  @Field() fingerprint: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'Stops signing at this time (rotation overlap)' }) expiresAt: Date | null;

  static from(e: DestinationSecretEntity): DestinationSecret {
    return Object.assign(new DestinationSecret(), { id: toGlobalId('DestinationSecret', e.id), fingerprint: e.fingerprint, createdAt: e.createdAt, expiresAt: e.expiresAt });
  }
}

@ObjectType({ implements: Node, description: "A customer's URL that receives the webhooks guide's batched change-log and business-event webhooks" })
export class Destination extends Node {
  @Field() name: string;
  @Field() url: string;
  @Field(() => [String], { description: 'Names of the custom headers sent (values are stored encrypted and never shown)' }) headerNames: string[];
  @Field(() => Int) timeoutMs: number;
  @Field(() => [String], { description: 'Change-log resource types delivered; empty: all' }) resourceTypes: string[];
  @Field(() => [String], { description: 'Business event types delivered; empty: all' }) eventTypes: string[];
  @Field({ description: 'Header carrying the hex HMAC-SHA256 of the body (the webhooks guide); Standard Webhooks headers are sent too' }) signatureHeader: string;
  @Field(() => Int, { description: 'A batch is sent at this many events…' }) batchMaxEvents: number;
  @Field(() => Int, { description: '…or this long after its first event' }) batchMaxWaitMs: number;
  @Field() enabled: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was disabled (by a person, or automatically after failing too long)' }) disabledReason: string | null;
  @Field(() => Date, { nullable: true, description: 'Deliveries have failed continuously since then; null when the last one worked' }) failingSince: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  rawId: string;

  static from(e: DestinationEntity): Destination {
    return Object.assign(new Destination(), {
      id: toGlobalId('Destination', e.id), rawId: e.id, name: e.name, url: e.url, headerNames: e.headerNames, timeoutMs: e.timeoutMs,
      resourceTypes: e.resourceTypes, eventTypes: e.eventTypes, signatureHeader: e.hmacHeader, batchMaxEvents: e.batchMaxEvents,
      batchMaxWaitMs: e.batchMaxWaitMs, enabled: e.enabled, disabledReason: e.disabledReason, failingSince: e.failingSince,
      createdAt: e.createdAt, updatedAt: e.updatedAt,
    });
  }
}

@ObjectType({ implements: Node, description: 'One batch sent to a destination: its id is the idempotency id (webhook-id), the same on every attempt' })
export class DestinationDelivery extends Node {
  @Field({ description: 'The webhook-id the destination received' }) webhookId: string;
  @Field() stream: string;
  @Field() resourceType: string;
  @Field(() => Int) eventCount: number;
  @Field(() => DeliveryOutcome) outcome: DeliveryOutcome;
  @Field(() => Int) attempts: number;
  @Field(() => Int, { nullable: true }) lastStatus: number | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Int) durationMs: number;
  @Field(() => GraphQLJSON, { description: "The batch's events[]" }) events: unknown;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(e: DestinationBatchEntity): DestinationDelivery {
    return Object.assign(new DestinationDelivery(), {
      id: toGlobalId('DestinationDelivery', e.id), webhookId: e.id, stream: e.stream, resourceType: e.resourceType, eventCount: e.eventCount,
      outcome: e.outcome, attempts: e.attempts, lastStatus: e.lastStatus, lastError: e.lastError, durationMs: e.durationMs, events: e.events,
      createdAt: e.createdAt, updatedAt: e.updatedAt,
    });
  }
}

@InputType()
export class HeaderInput {
  @Field() name: string;
  @Field() value: string;
}

@InputType()
export class CreateDestinationInput {
  @Field() name: string;
  @Field({ description: 'https and public, unless the operator allow-list names the host' }) url: string;
  @Field(() => [HeaderInput], { nullable: true }) headers?: HeaderInput[];
  @Field(() => Int, { nullable: true, description: 'Per request; default 10000 (the webhooks guide)' }) timeoutMs?: number;
  @Field(() => [String], { nullable: true }) resourceTypes?: string[];
  @Field(() => [String], { nullable: true }) eventTypes?: string[];
  @Field({ nullable: true, description: 'Default X-SportsStack-Signature (the webhooks guide)' }) signatureHeader?: string;
  @Field(() => Int, { nullable: true, description: 'Default 50' }) batchMaxEvents?: number;
  @Field(() => Int, { nullable: true, description: 'Default 10000' }) batchMaxWaitMs?: number;
  @Field({ nullable: true, defaultValue: true }) enabled?: boolean;
  @Field(() => String, { nullable: true }) idempotencyKey?: string | null;
}

@InputType()
export class UpdateDestinationInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) url?: string;
  @Field(() => [HeaderInput], { nullable: true, description: 'Replaces every custom header' }) headers?: HeaderInput[];
  @Field(() => Int, { nullable: true }) timeoutMs?: number;
  @Field(() => [String], { nullable: true }) resourceTypes?: string[];
  @Field(() => [String], { nullable: true }) eventTypes?: string[];
  @Field({ nullable: true }) signatureHeader?: string;
  @Field(() => Int, { nullable: true }) batchMaxEvents?: number;
  @Field(() => Int, { nullable: true }) batchMaxWaitMs?: number;
}

@ObjectType()
export class CreateDestinationPayload {
  @Field(() => Destination) destination: Destination;
  @Field({ description: 'Shown once: the signing secret (whsec_…) the receiver verifies with' }) signingSecret: string;
}

@ObjectType()
export class RotateDestinationSecretPayload {
  @Field(() => Destination) destination: Destination;
  @Field({ description: 'Shown once: the new signing secret' }) signingSecret: string;
  @Field(() => DestinationSecret) secret: DestinationSecret;
}

@ObjectType()
export class DeleteDestinationPayload {
  @Field(() => ID) deletedId: string;
}

@ObjectType({ description: "The outcome of sendTestWebhook: the webhooks guide's test payload, sent directly" })
export class WebhookTestResult {
  @Field() ok: boolean;
  @Field(() => Int, { nullable: true, description: 'HTTP status; null when no answer came' }) status: number | null;
  @Field(() => Int) durationMs: number;
  @Field() webhookId: string;
  @Field(() => String, { nullable: true }) error: string | null;
}
