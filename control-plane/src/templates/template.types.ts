import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { SyncTemplateEntity } from '../db/base.entities';
import { Trigger, TriggerInput } from '../syncs/sync.types';
import { DeliveryPolicy, DeliveryPolicyInput } from '../syncs/delivery-policy.types';
import type { DeliveryPolicyDefinition } from '../syncs/sync.definition';

@ObjectType()
export class TemplateParameter {
  @Field({ description: 'Used as {{name}} in the template' }) name: string;
  @Field() description: string;
  @Field() required: boolean;
  @Field(() => String, { nullable: true }) default: string | null;
}

@ObjectType()
export class TemplateEndpoint {
  @Field() connector: string;
  @Field() operation: string;
  @Field(() => String, { nullable: true }) baseUrl: string | null;
  @Field(() => GraphQLJSONObject) params: Record<string, string>;
}

/** A template's definition: a sync definition without credentials, with {{parameters}} in its strings. */
export interface TemplateDefinition {
  trigger: { kind: 'notify' | 'push'; idParam: string };
  source: TemplateEndpoint | null;
  mapping: string;
  filter: string | null;
  target: TemplateEndpoint;
  delivery?: DeliveryPolicyDefinition | null;
}

@ObjectType({ implements: Node, description: 'A reusable sync setup: connector pair, mapping, filter, with parameters.' })
export class SyncTemplate extends Node {
  @Field() name: string;
  @Field() description: string;
  @Field({ description: 'Shared by an operator with every tenant, or private to one' }) shared: boolean;
  @Field(() => [TemplateParameter]) parameters: TemplateParameter[];
  @Field(() => Trigger) trigger: Trigger;
  @Field(() => TemplateEndpoint, { nullable: true }) source: TemplateEndpoint | null;
  @Field() mapping: string;
  @Field(() => String, { nullable: true }) filter: string | null;
  @Field(() => TemplateEndpoint) target: TemplateEndpoint;
  @Field(() => DeliveryPolicy, { nullable: true, description: 'The delivery policy syncs made from it start with' }) delivery: DeliveryPolicy | null;
  @Field() createdAt: Date;

  static from(e: SyncTemplateEntity): SyncTemplate {
    const d = e.definition as TemplateDefinition;
    return Object.assign(new SyncTemplate(), {
      id: toGlobalId('SyncTemplate', e.id), name: e.name, description: e.description, shared: e.tenantId === null,
      parameters: e.parameters, trigger: d.trigger, source: d.source, mapping: d.mapping, filter: d.filter, target: d.target,
      delivery: DeliveryPolicy.from(d.delivery), createdAt: e.createdAt,
    });
  }
}

@InputType()
export class TemplateParameterInput {
  @Field() name: string;
  @Field({ defaultValue: '' }) description: string;
  @Field({ defaultValue: true }) required: boolean;
  @Field({ nullable: true }) default?: string;
}

@InputType()
export class TemplateEndpointInput {
  @Field() connector: string;
  @Field() operation: string;
  @Field({ nullable: true, description: 'May use {{parameters}}; else given when the template is used' }) baseUrl?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) params?: Record<string, unknown>;
}

@InputType()
export class CreateSyncTemplateInput {
  @Field() name: string;
  @Field({ defaultValue: '' }) description: string;
  @Field(() => [TemplateParameterInput], { defaultValue: [] }) parameters: TemplateParameterInput[];
  @Field(() => TriggerInput) trigger: TriggerInput;
  @Field(() => TemplateEndpointInput, { nullable: true }) source?: TemplateEndpointInput;
  @Field() mapping: string;
  @Field({ nullable: true }) filter?: string;
  @Field(() => TemplateEndpointInput) target: TemplateEndpointInput;
  @Field(() => DeliveryPolicyInput, { nullable: true }) delivery?: DeliveryPolicyInput;
  @Field({ nullable: true }) idempotencyKey?: string;
}

@InputType()
export class CreateSyncFromTemplateInput {
  @Field(() => ID) templateId: string;
  @Field(() => ID) projectId: string;
  @Field() name: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Values for the template parameters' }) parameters?: Record<string, unknown>;
  @Field(() => ID, { nullable: true, description: 'Required when the template has a source' }) sourceCredentialId?: string;
  @Field(() => ID) targetCredentialId: string;
  @Field({ nullable: true, description: "When the template leaves the source's base URL open" }) sourceBaseUrl?: string;
  @Field({ nullable: true, description: "When the template leaves the target's base URL open" }) targetBaseUrl?: string;
  @Field({ nullable: true }) idempotencyKey?: string;
}
