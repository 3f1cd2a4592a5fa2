import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { SyncEntity, SyncVersionEntity } from '../db/base.entities';
import { DeliveryPolicy, DeliveryPolicyInput } from './delivery-policy.types';
import { ActivationCheck } from '../sandbox/sandbox.types';
import type { DestinationTargetDefinition, EndpointDefinition, SyncDefinition } from './sync.definition';

export enum TriggerKind { NOTIFY = 'notify', PUSH = 'push' }
registerEnumType(TriggerKind, {
  name: 'TriggerKind',
  valuesConfig: {
    NOTIFY: { description: 'GET or POST carrying only an id; the hub fetches the record from the source (best practice).' },
    PUSH: { description: 'POST carrying the record itself.' },
  },
});

export enum SyncVersionState { DRAFT = 'draft', ACTIVE = 'active', INACTIVE = 'inactive' }
registerEnumType(SyncVersionState, { name: 'SyncVersionState' });

@ObjectType()
export class Trigger {
  @Field(() => TriggerKind) kind: TriggerKind;
  @Field({ description: 'Notify: query parameter or top-level JSON field holding the id' }) idParam: string;
}

@ObjectType()
export class Endpoint {
  rawCredentialId: string;
  @Field() connector: string;
  @Field() operation: string;
  @Field(() => ID) credentialId: string;
  @Field() baseUrl: string;
  @Field(() => GraphQLJSONObject) params: Record<string, string>;

  static from(e: EndpointDefinition): Endpoint {
    return Object.assign(new Endpoint(), { ...e, rawCredentialId: e.credentialId, credentialId: toGlobalId('Credential', e.credentialId) });
  }
}

@ObjectType({ description: 'A webhook destination as the target of a sync: each record goes out as a change-log event, batched and signed' })
export class SyncDestination {
  @Field(() => ID) destinationId: string;
  @Field({ description: 'The events\' resource_type, e.g. "profile"' }) resourceType: string;
  @Field({ description: 'The batch\'s stream, "change_log" unless set' }) stream: string;

  static from(d: DestinationTargetDefinition): SyncDestination {
    return Object.assign(new SyncDestination(), { ...d, destinationId: toGlobalId('Destination', d.destinationId) });
  }
}

/** What `target` shows for a destination sync (the field is not nullable): the hub's destination pipeline. */
function destinationEndpoint(d: DestinationTargetDefinition): EndpointDefinition {
  return { connector: 'destination', operation: 'publish', credentialId: d.destinationId, baseUrl: '', params: { resourceType: d.resourceType, stream: d.stream } };
}

@ObjectType({ implements: Node })
export class SyncVersion extends Node {
  @Field(() => Int) version: number;
  @Field(() => SyncVersionState) state: SyncVersionState;
  @Field(() => Trigger) trigger: Trigger;
  @Field(() => Endpoint, { nullable: true }) source: Endpoint | null;
  @Field() mapping: string;
  @Field(() => String, { nullable: true, description: 'Entity filter: only records it holds for are delivered' }) filter: string | null;
  @Field(() => Endpoint, { description: 'The connector operation records go to; for a destination sync, connector "destination" (see destination)' }) target: Endpoint;
  @Field(() => SyncDestination, { nullable: true, description: 'Set when the target is a webhook destination' }) destination: SyncDestination | null;
  @Field(() => DeliveryPolicy, { nullable: true, description: 'Retries, timeout and rate limit of this version; null: all defaults' }) delivery: DeliveryPolicy | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) activatedAt: Date | null;
  @Field(() => ActivationCheck, { nullable: true, description: 'What the activation gate decided when this version was activated (test cases, none, or an override); null before' }) activationCheck: ActivationCheck | null;

  static from(e: SyncVersionEntity): SyncVersion {
    const d = e.definition as SyncDefinition;
    return Object.assign(new SyncVersion(), {
      id: toGlobalId('SyncVersion', e.id), version: e.version, state: e.state as SyncVersionState,
      trigger: { kind: d.trigger.kind as TriggerKind, idParam: d.trigger.idParam },
      source: d.source ? Endpoint.from(d.source) : null, mapping: d.mapping, filter: d.filter ?? null, target: Endpoint.from(d.target ?? destinationEndpoint(d.destination!)), destination: d.destination ? SyncDestination.from(d.destination) : null,
      delivery: DeliveryPolicy.from(d.delivery), createdAt: e.createdAt, activatedAt: e.activatedAt,
      activationCheck: ActivationCheck.from(e.activationCheck ?? null),
    });
  }
}

@ObjectType({ implements: Node })
export class Sync extends Node {
  rawId: string;
  signature: SyncEntity['signature'];
  sandboxTarget: SyncEntity['sandboxTarget'];
  @Field() name: string;
  @Field(() => ID) projectId: string;
  @Field(() => Int, { nullable: true, description: 'The version webhooks run; null until one is activated' }) activeVersion: number | null;
  @Field(() => Date, { nullable: true, description: 'Set while paused (pauseSync): its webhooks are refused with 409 sync_paused until resumeSync' }) pausedAt: Date | null;
  @Field({ description: 'Free text for people (updateSync)' }) description: string;
  @Field(() => Date, { nullable: true, description: 'Set while archived (archiveSync): left out of syncs unless asked for, webhooks refused; deleteSync needs it' }) archivedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(e: SyncEntity): Sync {
    return Object.assign(new Sync(), {
      id: toGlobalId('Sync', e.id), rawId: e.id, signature: e.signature, sandboxTarget: e.sandboxTarget ?? null, name: e.name, projectId: toGlobalId('Project', e.projectId),
      activeVersion: e.activeVersion, pausedAt: e.pausedAt, description: e.description ?? '', archivedAt: e.archivedAt ?? null, createdAt: e.createdAt, updatedAt: e.updatedAt,
    });
  }
}

@InputType()
export class TriggerInput {
  @Field(() => TriggerKind) kind: TriggerKind;
  @Field({ defaultValue: 'id' }) idParam: string;
}

@InputType()
export class EndpointInput {
  @Field({ description: 'Connector id from the catalog, e.g. "copernica"' }) connector: string;
  @Field() operation: string;
  @Field(() => ID) credentialId: string;
  @Field({ description: "The account's API base URL, e.g. https://acme.blueconic.net/rest/v2" }) baseUrl: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Operation parameters (string values), e.g. {"databaseId": "1"}' }) params?: Record<string, unknown>;
}

@InputType()
export class SyncDestinationInput {
  @Field(() => ID, { description: 'A webhook destination of the tenant (createDestination)' }) destinationId: string;
  @Field({ description: 'The events\' resource_type, e.g. "profile"' }) resourceType: string;
  @Field({ nullable: true, description: 'The batch\'s stream; default "change_log"' }) stream?: string;
}

@InputType()
export class SyncDefinitionInput {
  @Field(() => TriggerInput, { nullable: true, description: "Default: the project's, else the tenant's" }) trigger?: TriggerInput;
  @Field(() => EndpointInput, { nullable: true, description: 'Required for NOTIFY triggers' }) source?: EndpointInput;
  @Field({ description: 'JSONata expression over {record, event} producing the target payload' }) mapping: string;
  @Field({ nullable: true, description: 'JSONata condition over {record, event}; e.g. record.properties[id="optin"].values[0] = "true"' }) filter?: string;
  @Field(() => EndpointInput, { nullable: true, description: "Default: the project's, else the tenant's (params merged)" }) target?: EndpointInput;
  @Field(() => SyncDestinationInput, { nullable: true, description: 'Instead of target: deliver to a webhook destination (batched, signed change-log events)' }) destination?: SyncDestinationInput;
  @Field(() => DeliveryPolicyInput, { nullable: true, description: "Retries, timeout and rate limit; each field left out comes from the project's defaults, else the tenant's, else the hub's" }) delivery?: DeliveryPolicyInput;
}

@InputType()
export class CreateSyncInput extends SyncDefinitionInput {
  @Field(() => ID) projectId: string;
  @Field() name: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result and creates nothing' }) idempotencyKey?: string;
}
