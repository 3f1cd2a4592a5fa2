import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionArgs } from '../common/relay';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { AuditEntryEntity } from '../db/base.entities';

@ObjectType({ implements: Node, description: 'One mutation: who, which token, what, when, before/after (secrets redacted).' })
export class AuditEntry extends Node {
  @Field() operation: string;
  @Field({ description: '"ok" or the error code the caller got' }) outcome: string;
  @Field({ description: 'tenant, operator or anonymous' }) actor: string;
  @Field(() => ID, { nullable: true, description: 'The API token used' }) tokenId: string | null;
  @Field(() => String, { nullable: true }) targetType: string | null;
  @Field(() => ID, { nullable: true }) targetId: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) input: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) before: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after: unknown;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field() createdAt: Date;

  static from(e: AuditEntryEntity): AuditEntry {
    return Object.assign(new AuditEntry(), {
      id: toGlobalId('AuditEntry', e.id), operation: e.operation, outcome: e.outcome, actor: e.actor,
      tokenId: e.tokenId ? toGlobalId('ApiToken', e.tokenId) : null, targetType: e.targetType,
      targetId: e.targetType && e.targetId ? toGlobalId(e.targetType as never, e.targetId) : null,
      input: e.input, before: e.before, after: e.after, requestId: e.requestId, createdAt: e.createdAt,
    });
  }
}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'Only this mutation, e.g. "rotateCredential"' }) operation?: string;
  @Field(() => ID, { nullable: true, description: 'Only entries about this object' }) targetId?: string;
}
