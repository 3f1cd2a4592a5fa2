import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { InboundKeyEntity } from '../db/base.entities';

@ObjectType({ implements: Node, description: 'A key an origin platform uses to call /hooks. The key itself is shown once, at creation.' })
export class InboundKey extends Node {
  @Field() name: string;
  @Field(() => ID) syncId: string;
  @Field({ description: 'The first characters of the key, to recognise it' }) prefix: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'After a rotation: when this key stops working' }) expiresAt: Date | null;

  static from(e: InboundKeyEntity): InboundKey {
    return Object.assign(new InboundKey(), {
      id: toGlobalId('InboundKey', e.id), name: e.name, syncId: toGlobalId('Sync', e.syncId), prefix: `dhk_${e.lookup}`,
      createdAt: e.createdAt, lastUsedAt: e.lastUsedAt, revokedAt: e.revokedAt, expiresAt: e.expiresAt,
    });
  }
}

@ObjectType()
export class CreateInboundKeyPayload {
  @Field({ description: 'The key. Store it now: it cannot be shown again.' }) key: string;
  @Field({ description: 'Ready-to-use webhook URL (the key in the path); headers Api-Key or Authorization: Bearer work too' }) url: string;
  @Field(() => InboundKey) inboundKey: InboundKey;
}

@InputType()
export class CreateInboundKeyInput {
  @Field(() => ID) syncId: string;
  @Field({ defaultValue: 'webhook key' }) name: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result (and the same key) and creates nothing' }) idempotencyKey?: string;
}

@ObjectType()
export class RotateInboundKeyPayload extends CreateInboundKeyPayload {
  @Field(() => InboundKey, { description: 'The old key, now with its expiresAt' }) previous: InboundKey;
}
