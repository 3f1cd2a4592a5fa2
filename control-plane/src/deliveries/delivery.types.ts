import { DELIVERY_OUTCOMES, type DeliveryOutcomeName } from '@datahub/proto';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { enumFromList } from '../common/enum-list';
import { Node } from '../common/node.types';
import { toGlobalId } from '../common/global-id';
import type { DeadLetterEntity, DeliveryAttemptEntity } from '../db/base.entities';

/** How an attempt ended: the names of DELIVERY_OUTCOMES (@datahub/proto), the list the worker writes. */
export const DeliveryOutcome = enumFromList(DELIVERY_OUTCOMES, 'DeliveryOutcome', {
  values: {
    DELIVERED: 'The target accepted it',
    RETRYING: 'A transient failure; the event waits in a retry bucket',
    DEAD_LETTERED: 'Given up (permanent failure or attempts exhausted); see deadLetters',
    FILTERED: "The sync's filter does not hold for the record: nothing sent",
    UNCHANGED: 'The mapped payload equals the one last delivered for this entity: nothing sent',
    SUPERSEDED: 'A pushed record older than the one already delivered for this entity: nothing sent',
  },
});
export type DeliveryOutcome = DeliveryOutcomeName;

@ObjectType({ implements: Node, description: 'One attempt to deliver one event to the target.' })
export class DeliveryAttempt extends Node {
  @Field() eventId: string;
  @Field(() => Int) syncVersion: number;
  @Field(() => Int) attempt: number;
  @Field(() => DeliveryOutcome) outcome: DeliveryOutcome;
  @Field(() => String, { nullable: true, description: "The origin's record id" }) entityId: string | null;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the target (or source) that decided the outcome' }) targetStatus: number | null;
  @Field(() => Int) durationMs: number;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => String, { nullable: true, description: 'OpenTelemetry trace id: open it in Jaeger' }) traceId: string | null;
  @Field(() => String, { nullable: true, description: 'Host of the target called (null when no call was made)' }) target: string | null;
  @Field(() => Int, { description: '0: the event as received; n: its n-th replay (replayDeadLetters), each with its own attempt numbers' }) replay: number;
  @Field(() => String, { nullable: true, description: 'The start of the response that decided the outcome (bounded; secrets redacted)' }) responseExcerpt: string | null;
  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (RETRYING)' }) nextRetryAt: Date | null;
  @Field() createdAt: Date;

  static from(e: DeliveryAttemptEntity): DeliveryAttempt {
    return Object.assign(new DeliveryAttempt(), {
      id: toGlobalId('DeliveryAttempt', String(e.id)), eventId: e.eventId, syncVersion: e.syncVersion, attempt: e.attempt,
      outcome: e.outcome as DeliveryOutcome, entityId: e.entityId, targetStatus: e.targetStatus, durationMs: e.durationMs,
      error: e.error, traceId: e.traceId, target: e.target, replay: e.replay, responseExcerpt: e.responseExcerpt, nextRetryAt: e.nextRetryAt, createdAt: e.createdAt,
    });
  }
}

@ObjectType({ implements: Node, description: 'An event the hub gave up on: permanent error or attempts exhausted.' })
export class DeadLetter extends Node {
  @Field() eventId: string;
  @Field(() => Int) syncVersion: number;
  @Field() reason: string;
  @Field(() => Int) attempts: number;
  @Field(() => Int, { nullable: true }) lastStatus: number | null;
  @Field(() => String, { nullable: true, description: 'The start of the last response body' }) lastResponse: string | null;
  @Field(() => String, { nullable: true }) traceId: string | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When replayDeadLetters sent it again; null until then' }) replayedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'The sync version it was replayed with' }) replayedVersion: number | null;

  static from(e: DeadLetterEntity): DeadLetter {
    return Object.assign(new DeadLetter(), {
      id: toGlobalId('DeadLetter', e.id), eventId: e.eventId, syncVersion: e.syncVersion, reason: e.reason, attempts: e.attempts,
      lastStatus: e.lastStatus, lastResponse: e.lastResponse, traceId: e.traceId, createdAt: e.createdAt,
      replayedAt: e.replayedAt, replayedVersion: e.replayedVersion,
    });
  }
}

@ObjectType({ description: 'What replayDeadLetters did with one dead letter.' })
export class DeadLetterReplay {
  @Field(() => ID, { description: 'The dead letter' }) id: string;
  @Field(() => String, { nullable: true, description: 'Null when the id names no dead letter of this sync' }) eventId: string | null;
  @Field({ description: 'true: published again as a new attempt series; false: nothing sent (see error)' }) replayed: boolean;
  @Field(() => Int, { nullable: true, description: 'The attempt series it runs as (DeliveryAttempt.replay): 1 for the first replay of the event; null when nothing was sent' }) replay: number | null;
  @Field(() => String, { nullable: true }) error: string | null;
}
