import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { ApiTokenEntity } from '../db/base.entities';

export enum TokenScope { READ = 'read', WRITE = 'write', ADMIN = 'admin' }
registerEnumType(TokenScope, {
  name: 'TokenScope',
  valuesConfig: {
    READ: { description: 'Queries' },
    WRITE: { description: 'Queries and mutations on syncs, credentials, keys and templates' },
    ADMIN: { description: 'Everything, including API tokens' },
  },
});

@ObjectType({ implements: Node, description: 'A tenant API token. The token itself is shown once, at creation.' })
export class ApiToken extends Node {
  @Field() name: string;
  @Field({ description: 'The start of the token, to recognise it' }) prefix: string;
  @Field(() => [TokenScope]) scopes: TokenScope[];
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;

  static from(e: ApiTokenEntity): ApiToken {
    return Object.assign(new ApiToken(), {
      id: toGlobalId('ApiToken', e.id), name: e.name, prefix: `dht_${e.lookup}`, scopes: e.scopes as TokenScope[],
      createdAt: e.createdAt, lastUsedAt: e.lastUsedAt, expiresAt: e.expiresAt, revokedAt: e.revokedAt,
    });
  }
}

@ObjectType()
export class CreateApiTokenPayload {
  @Field({ description: 'The token. Store it now: it cannot be shown again.' }) token: string;
  @Field(() => ApiToken) apiToken: ApiToken;
}

@InputType()
export class CreateApiTokenInput {
  @Field() name: string;
  @Field(() => [TokenScope]) scopes: TokenScope[];
  @Field(() => Date, { nullable: true }) expiresAt?: Date;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result and creates nothing' }) idempotencyKey?: string;
}
