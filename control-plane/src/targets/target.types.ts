import { ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { enumFromList } from '../common/enum-list';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node.types';
import { ConnectionArgs } from '../common/relay';
import type { TargetCircuitEntity, TargetRateBucketEntity } from '../db/base.entities';

/** target_circuits.state, as the data plane's breaker writes it. */
export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const satisfies readonly TargetCircuitEntity['state'][];
export const CircuitState = enumFromList(CIRCUIT_STATES, 'CircuitState', {
  values: {
    CLOSED: 'Requests flow',
    OPEN: 'Too many recent failures: deliveries wait in the retry buckets, without using up attempts, until a probe is allowed',
    HALF_OPEN: 'A probe request is allowed; its outcome closes or re-opens the circuit',
  },
});
export type CircuitState = TargetCircuitEntity['state'];

@ObjectType({ description: "The target's circuit breaker, shared by every worker" })
export class Circuit {
  @Field(() => CircuitState) state: CircuitState;
  @Field(() => Int, { description: 'Failures counted in the current window' }) failures: number;
  @Field(() => String, { nullable: true, description: 'What the last failure was, as the worker recorded it' }) lastFailure: string | null;
  @Field(() => Date, { nullable: true }) openedAt: Date | null;
  @Field(() => Date, { nullable: true }) halfOpenedAt: Date | null;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;

  static from(e: TargetCircuitEntity): Circuit {
    return Object.assign(new Circuit(), {
      state: e.state, failures: e.failures, lastFailure: e.lastFailure, openedAt: e.openedAt, halfOpenedAt: e.halfOpenedAt, closedAt: e.closedAt,
    });
  }
}

@ObjectType({ description: "The target's rate limit (a token bucket shared by every worker) and how much of it is used" })
export class RateLimit {
  @Field(() => Float, { description: 'Requests per second allowed' }) perSecond: number;
  @Field(() => Float, { description: 'Share of the limit used over the last window, 0..1' }) utilisation: number;
  @Field(() => Float, { description: 'Highest utilisation seen, 0..1' }) peakUtilisation: number;
  @Field(() => Int, { description: 'Last utilisation threshold crossed, in percent: 0, 80 or 95' }) threshold: number;
  @Field(() => Date, { nullable: true, description: 'When that threshold was crossed' }) thresholdAt: Date | null;

  static from(e: TargetRateBucketEntity): RateLimit {
    return Object.assign(new RateLimit(), {
      perSecond: e.ratePerSec, utilisation: e.utilisation, peakUtilisation: e.peakUtilisation, threshold: e.threshold, thresholdAt: e.thresholdAt,
    });
  }
}

@ObjectType({ implements: Node, description: 'A host the hub delivers to with one credential: its circuit breaker and rate limit.' })
export class Target extends Node {
  rawCredentialId: string | null;
  @Field({ description: 'Host name of the target API' }) host: string;
  @Field(() => Circuit, { nullable: true, description: 'null until a delivery to it has failed' }) circuit: Circuit | null;
  @Field(() => RateLimit, { nullable: true, description: 'null until the hub has paced requests to it' }) rateLimit: RateLimit | null;

  static from(key: string, circuit: TargetCircuitEntity | undefined, bucket: TargetRateBucketEntity | undefined): Target {
    const row = (circuit ?? bucket)!;
    return Object.assign(new Target(), {
      id: toGlobalId('Target', key), host: row.host, rawCredentialId: row.credentialId,
      circuit: circuit ? Circuit.from(circuit) : null, rateLimit: bucket ? RateLimit.from(bucket) : null,
    });
  }
}

@ArgsType()
export class TargetsArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only this host (case-insensitive)' }) host?: string;
  @Field(() => CircuitState, { nullable: true, description: 'Only targets whose circuit is in this state (targets without a circuit are left out)' }) state?: CircuitState;
}
