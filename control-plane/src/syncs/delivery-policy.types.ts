import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import type { DeliveryPolicyDefinition } from './sync.definition';

const RETRY = 'Delay before each retry in seconds, one entry per retry, never shorter than the one before (1–10 entries, each 1..86400). Default: [30, 60, 120, 300, 600] (30 s, 60 s, 2 m, 5 m, 10 m)';
const TIMEOUT = 'Time budget of each request to the source or target in ms (100..60000). Default: 10000 (10 s)';
const RATE = "Requests per second to the target, per credential (> 0, at most 10000). Default: the target connector's published rate limit";

@InputType({ description: 'How deliveries are retried, timed out and paced; a field left out takes the default (project, tenant, then the hub\'s).' })
export class DeliveryPolicyInput {
  @Field(() => [Int], { nullable: true, description: RETRY }) retryScheduleSec?: number[] | null;
  @Field(() => Int, { nullable: true, description: TIMEOUT }) timeoutMs?: number | null;
  @Field(() => Float, { nullable: true, description: RATE }) rateLimitPerSec?: number | null;
}

@ObjectType({ description: 'How deliveries are retried, timed out and paced; null fields take the default.' })
export class DeliveryPolicy {
  @Field(() => [Int], { nullable: true, description: RETRY }) retryScheduleSec: number[] | null;
  @Field(() => Int, { nullable: true, description: TIMEOUT }) timeoutMs: number | null;
  @Field(() => Float, { nullable: true, description: RATE }) rateLimitPerSec: number | null;

  static from(d: DeliveryPolicyDefinition | null | undefined): DeliveryPolicy | null {
    return d ? Object.assign(new DeliveryPolicy(), d) : null;
  }
}
