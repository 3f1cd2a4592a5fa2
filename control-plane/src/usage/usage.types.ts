import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum UsageGranularity { HOUR = 'hour', DAY = 'day' }
registerEnumType(UsageGranularity, { name: 'UsageGranularity', description: 'Width of one point of the series (UTC hours or days)' });

@InputType({ description: 'What to count: exactly one of these' })
export class UsageScopeInput {
  @Field(() => ID, { nullable: true, description: "The caller's tenant (its id, or set tenant: true)" }) tenantId?: string;
  @Field(() => Boolean, { nullable: true, description: 'The whole tenant of the caller' }) tenant?: boolean;
  @Field(() => ID, { nullable: true }) projectId?: string;
  @Field(() => ID, { nullable: true }) syncId?: string;
  @Field(() => ID, { nullable: true, description: "A Target's id (from `targets`): every sync delivering to its host" }) targetId?: string;
  @Field(() => String, { nullable: true, description: 'A target host, e.g. api.copernica.com: every sync delivering to it' }) targetHost?: string;
}

@ObjectType({ description: 'Counted events. Every figure is a whole number.' })
export class UsageCounts {
  @Field(() => Int, { description: 'Events taken for the first time (replays not counted again)' }) received: number;
  @Field(() => Int, { description: 'Records read from the source (once per attempt of a notify event)' }) fetched: number;
  @Field(() => Int, { description: "The sync's filter did not hold: nothing sent" }) filtered: number;
  @Field(() => Int, { description: 'Same payload as last delivered (or an older pushed record): nothing sent' }) unchanged: number;
  @Field(() => Int) delivered: number;
  @Field(() => Int, { description: 'Attempts that failed transiently and were scheduled again' }) retried: number;
  @Field(() => Int, { description: 'Events given up on (see deadLetters)' }) deadLettered: number;
  @Field(() => Float, { nullable: true, description: 'delivered / (delivered + deadLettered); null when neither happened' }) successRate: number | null;
}

@ObjectType({ description: 'One point of the series: the counts of one hour or day (zeros included, so every point is there)' })
export class UsagePoint extends UsageCounts {
  @Field({ description: 'Start of the hour or day (UTC)' }) start: Date;
}

@ObjectType({ description: 'Latency percentiles (ms), interpolated from fixed histogram buckets; null without samples' })
export class LatencyPercentiles {
  @Field(() => Int, { description: 'Samples' }) count: number;
  @Field(() => Float, { nullable: true }) p50: number | null;
  @Field(() => Float, { nullable: true }) p95: number | null;
  @Field(() => Float, { nullable: true }) p99: number | null;
}

@ObjectType()
export class UsageLatency {
  @Field(() => LatencyPercentiles, { description: 'From receipt at ingress to the target accepting it (retries included; replays left out)' }) receiptToDelivery: LatencyPercentiles;
  @Field(() => LatencyPercentiles, { description: "The delivery call(s) to the target, per attempt that made one" }) targetCall: LatencyPercentiles;
}

@ObjectType({ description: 'A sync with failures in the period' })
export class FailingSync {
  @Field(() => ID) syncId: string;
  @Field(() => String, { nullable: true, description: 'null when the sync was deleted' }) name: string | null;
  @Field(() => Int) deadLettered: number;
  @Field(() => Int) retried: number;
  @Field(() => Int) delivered: number;
  @Field(() => Float, { nullable: true }) successRate: number | null;
}

@ObjectType({ description: "The tenant's monthly event quota (calendar month, UTC) and its use" })
export class QuotaStatus {
  @Field(() => Int, { nullable: true, description: 'null: no quota' }) monthlyEventQuota: number | null;
  @Field(() => Int, { description: 'Events received this month' }) used: number;
  @Field(() => Float, { nullable: true }) percentUsed: number | null;
  @Field({ description: 'true: at 100 % ingress refuses webhooks (429 quota_exceeded); false: only reported' }) enforced: boolean;
  @Field(() => Int, { description: 'Threshold reached: 0, 80 or 100 (percent)' }) level: number;
  @Field({ description: 'The month counted, YYYY-MM (UTC)' }) month: string;
}

@ObjectType({ description: 'Usage of a scope over [from, to): totals, a chart-ready series, success rate, latency, top failing syncs, the quota' })
export class Usage {
  @Field() from: Date;
  @Field() to: Date;
  @Field(() => UsageGranularity) granularity: UsageGranularity;
  @Field(() => UsageCounts) totals: UsageCounts;
  @Field(() => [UsagePoint], { description: 'One point per hour or day from `from` to `to`, oldest first' }) series: UsagePoint[];
  @Field(() => UsageLatency) latency: UsageLatency;
  @Field(() => [FailingSync], { description: 'Up to 5 syncs with the most dead letters, then retries' }) topFailingSyncs: FailingSync[];
  @Field(() => QuotaStatus, { description: "The tenant's quota (whatever the scope)" }) quota: QuotaStatus;
}

@ObjectType({ description: "A tenant's usage settings: monthly quota (operator) and delivery-log retention and redaction (tenant admin)" })
export class TenantUsageSettings {
  @Field(() => Int, { nullable: true }) monthlyEventQuota: number | null;
  @Field() quotaEnforced: boolean;
  @Field(() => Int, { description: 'Days the delivery log keeps an event' }) logRetentionDays: number;
  @Field(() => [String], { description: 'Field names redacted in delivery-log excerpts (besides secret-looking ones: password, token, api key, …)' }) sensitiveFields: string[];
}
