import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../common/global-id';
import { ConnectionArgs } from '../common/relay';
import { TriggerKind } from '../syncs/sync.types';
import { DeliveryAttempt, DeliveryOutcome } from './delivery.types';

/** A delivery_events row as the worker writes it. */
export interface DeliveryEventRow {
  event_id: string;
  project_id: string;
  sync_id: string;
  sync_version: number;
  entity_key: string | null;
  trigger: string;
  method: string | null;
  received_at: Date;
  state: DeliveryOutcome;
  attempt: number;
  replay: number;
  record_excerpt: string | null;
  payload_excerpt: string | null;
  trace_id: string | null;
  updated_at: Date;
}

@ObjectType({ description: 'One event in the delivery log: how it came in, what was fetched and sent (bounded excerpts, secrets and the tenant\'s sensitive fields redacted), every attempt of every series (the original and each replay), and where it stands.' })
export class DeliveryLogEntry {
  @Field(() => ID) eventId: string;
  @Field(() => ID) syncId: string;
  @Field(() => ID) projectId: string;
  @Field(() => Int, { description: 'The sync version of the latest attempt' }) syncVersion: number;
  @Field(() => String, { nullable: true, description: "The origin's record id (notify) or the pushed record's id" }) entityKey: string | null;
  @Field(() => TriggerKind) trigger: TriggerKind;
  @Field(() => String, { nullable: true, description: 'HTTP method of the webhook (GET, POST)' }) method: string | null;
  @Field({ description: 'When ingress accepted it' }) receivedAt: Date;
  @Field(() => DeliveryOutcome, { description: 'Outcome of the latest attempt; RETRYING is the only state that is not final' }) state: DeliveryOutcome;
  @Field({ description: 'false while it waits for another attempt' }) final: boolean;
  @Field(() => Int, { description: 'Number of the latest attempt within its series' }) attempt: number;
  @Field(() => Int, { description: 'Series of the latest attempt: 0 as received, n for the n-th replay' }) replay: number;
  @Field(() => String, { nullable: true, description: 'The record fetched from the source (or pushed), as JSON, cut at the excerpt size' }) recordExcerpt: string | null;
  @Field(() => String, { nullable: true, description: 'The mapped payload sent (or that would have been), as JSON, cut at the excerpt size' }) payloadExcerpt: string | null;
  @Field(() => String, { nullable: true, description: 'OpenTelemetry trace id of the latest attempt' }) traceId: string | null;
  @Field() updatedAt: Date;
  @Field(() => [DeliveryAttempt], { description: 'Every attempt, oldest series first, then by attempt number' }) attempts: DeliveryAttempt[];

  static from(r: DeliveryEventRow, attempts: DeliveryAttempt[]): DeliveryLogEntry {
    return Object.assign(new DeliveryLogEntry(), {
      eventId: r.event_id, syncId: toGlobalId('Sync', r.sync_id), projectId: toGlobalId('Project', r.project_id), syncVersion: r.sync_version,
      entityKey: r.entity_key, trigger: r.trigger === 'push' ? TriggerKind.PUSH : TriggerKind.NOTIFY, method: r.method, receivedAt: r.received_at,
      state: r.state, final: r.state !== 'retrying', attempt: r.attempt, replay: r.replay, recordExcerpt: r.record_excerpt,
      payloadExcerpt: r.payload_excerpt, traceId: r.trace_id, updatedAt: r.updated_at, attempts,
    });
  }
}

@ArgsType()
export class DeliveryLogArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only this sync' }) syncId?: string;
  @Field(() => String, { nullable: true, description: 'Only this entity (exact record id)' }) entityKey?: string;
  @Field(() => DeliveryOutcome, { nullable: true, description: 'Only events whose latest attempt ended so' }) state?: DeliveryOutcome;
  @Field(() => Date, { nullable: true, description: 'Received at or after' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Received before' }) to?: Date;
}
