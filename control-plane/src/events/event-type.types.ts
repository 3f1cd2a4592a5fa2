import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node.types';
import type { EventTypeEntity } from '../destinations/destination.entity';

@ObjectType({ implements: Node, description: 'A business event type the tenant declared (e.g. contract.signed), with the JSON Schema its events must match' })
export class EventType extends Node {
  @Field() name: string;
  @Field() description: string;
  @Field(() => GraphQLJSONObject) schema: object;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(e: EventTypeEntity): EventType {
    return Object.assign(new EventType(), { id: toGlobalId('EventType', e.id), name: e.name, description: e.description, schema: e.schema, createdAt: e.createdAt, updatedAt: e.updatedAt });
  }
}

@InputType()
export class DeclareEventTypeInput {
  @Field({ description: 'Dotted lower-case name, e.g. partnership.created' }) name: string;
  @Field({ nullable: true, defaultValue: '' }) description: string;
  @Field(() => GraphQLJSONObject, { description: 'JSON Schema (draft-07); refused unless it compiles' }) schema: object;
}

@InputType()
export class PublishBusinessEventInput {
  @Field() type: string;
  @Field(() => GraphQLJSON, { description: 'Validated against the type\'s schema' }) data: unknown;
  @Field(() => String, { nullable: true, description: 'A retried publish with the same key sends nothing new' }) idempotencyKey?: string | null;
}

@ObjectType()
export class PublishBusinessEventPayload {
  @Field() eventId: string;
  @Field() type: string;
  @Field(() => Int, { description: 'Enabled destinations whose filters take this event type now' }) destinations: number;
}
