import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { ProjectEntity, TenantEntity } from '../db/base.entities';
import { SyncDefaults } from '../syncs/sync.defaults';

@ObjectType({ implements: Node })
export class Tenant extends Node {
  @Field() name: string;
  @Field() createdAt: Date;
  @Field(() => SyncDefaults, { description: 'What every sync of this tenant inherits unless its project or input says otherwise' }) defaults: SyncDefaults;
  @Field(() => String, { nullable: true, description: "The HTTP CONNECT proxy (http://host:port) this tenant's outbound calls go through, so targets can allow-list its address; null: the operator's proxy, if any" })
  egressProxy: string | null;

  static from(e: TenantEntity): Tenant {
    return Object.assign(new Tenant(), {
      id: toGlobalId('Tenant', e.id), name: e.name, createdAt: e.createdAt, defaults: SyncDefaults.from(e.defaults ?? {}), egressProxy: e.egressProxyUrl ?? null,
    });
  }
}

@ObjectType({ implements: Node })
export class Project extends Node {
  @Field() name: string;
  @Field() createdAt: Date;
  @Field(() => SyncDefaults, { description: "What this project's syncs inherit (over the tenant's defaults)" }) defaults: SyncDefaults;

  static from(e: ProjectEntity): Project {
    return Object.assign(new Project(), { id: toGlobalId('Project', e.id), name: e.name, createdAt: e.createdAt, defaults: SyncDefaults.from(e.defaults ?? {}) });
  }
}

@ObjectType({ description: 'A newly issued API token. `token` is shown only here, once.' })
export class IssuedApiToken {
  @Field() token: string;
  @Field(() => ID) id: string;
  @Field(() => [String]) scopes: string[];
}

@ObjectType()
export class CreateTenantPayload {
  @Field(() => Tenant) tenant: Tenant;
  @Field(() => Project, { description: 'The "default" project every tenant starts with.' }) defaultProject: Project;
  @Field(() => IssuedApiToken, { description: 'An admin token for the new tenant.' }) apiToken: IssuedApiToken;
}

@InputType()
export class CreateTenantInput {
  @Field() name: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first tenant (and its token) and creates nothing' }) idempotencyKey?: string;
}

@InputType()
export class CreateProjectInput {
  @Field() name: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result and creates nothing' }) idempotencyKey?: string;
}

@ObjectType()
export class Viewer {
  @Field(() => Tenant, { nullable: true }) tenant: Tenant | null;
  @Field() isOperator: boolean;
  @Field(() => [String]) scopes: string[];
}
