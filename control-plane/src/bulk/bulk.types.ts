import { AUDIT_STATES, AUDIT_VERDICTS, BULK_RUN_MODES, BULK_RUN_STATES, BULK_RUN_TRIGGERS, type AuditStateName, type AuditVerdictName, type BulkRunModeName, type BulkRunStateName, type BulkRunTriggerName } from '@datahub/proto';
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, Float } from 'type-graphql';
import { enumFromList } from '../common/enum-list';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node.types';
import type { AccuracyAuditEntity, AccuracyAuditItemEntity, BulkRunEntity, BulkSettingsEntity } from './bulk.entities';

export const BulkRunState = enumFromList(BULK_RUN_STATES, 'BulkRunState', {
  description: 'queued → running (pages) → draining (the worker finishes what was published) → succeeded; or failed, cancelling → cancelled',
});
export type BulkRunState = BulkRunStateName;
export const BulkRunMode = enumFromList(BULK_RUN_MODES, 'BulkRunMode', {
  values: {
    FULL: 'Every record of the source list (unchanged ones are detected and not sent)',
    INCREMENTAL: 'Only records modified since the last successful run started, where the source supports a watermark (else full)',
    REPAIR: 'The mismatched records of an accuracy audit, sent even if the hub thinks they are unchanged',
  },
});
export type BulkRunMode = BulkRunModeName;
export const BulkRunTrigger = enumFromList(BULK_RUN_TRIGGERS, 'BulkRunTrigger');
export type BulkRunTrigger = BulkRunTriggerName;
export const AccuracyAuditState = enumFromList(AUDIT_STATES, 'AccuracyAuditState');
export const AuditVerdict = enumFromList(AUDIT_VERDICTS, 'AuditVerdict', {
  values: { MATCH: 'The target holds every mapped value', MISMATCH: 'Some mapped values differ', MISSING: 'The target has no such record', UNREADABLE: 'A read failed (see differences)' },
});

@ObjectType({ description: 'What a bulk run has done so far' })
export class BulkRunProgress {
  @Field(() => Int, { description: 'Pages read from the source' }) pages: number;
  @Field(() => Int, { description: 'Records read and published to hub.bulk' }) records: number;
  @Field(() => Int, { nullable: true, description: 'Records the source reported in all (when it does)' }) total: number | null;
  @Field(() => Int) delivered: number;
  @Field(() => Int, { description: 'Not sent: equal to what was last delivered (change detection)' }) unchanged: number;
  @Field(() => Int, { description: "Not sent: the sync's filter does not hold" }) filtered: number;
  @Field(() => Int, { description: 'Dead-lettered (see the sync\'s deadLetters)' }) failed: number;
  @Field(() => Int, { description: 'Published but not processed yet' }) inFlight: number;
}

@ObjectType({ description: 'A problem a run met (a page retried, records skipped, why it failed)' })
export class BulkRunError {
  @Field() at: Date;
  @Field() message: string;
}

@ObjectType({ implements: Node, description: 'One bulk run of a sync: every record of the source list through the pipeline.' })
export class BulkRun extends Node {
  rawId: string;
  @Field(() => ID) syncId: string;
  @Field(() => Int) syncVersion: number;
  @Field(() => BulkRunMode) mode: BulkRunMode;
  @Field(() => BulkRunTrigger) trigger: BulkRunTrigger;
  @Field(() => BulkRunState) state: BulkRunState;
  @Field(() => BulkRunProgress) progress: BulkRunProgress;
  @Field(() => Date, { nullable: true, description: 'Incremental: records modified since this time' }) watermark: Date | null;
  @Field(() => [BulkRunError]) errors: BulkRunError[];
  @Field(() => String, { nullable: true, description: "OpenTelemetry trace id of the run's root span; every page is a trace of its own linked to it" }) traceId: string | null;
  @Field(() => [String], { description: 'Trace ids of the pages read (the last 200)' }) pageTraceIds: string[];
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
  @Field() createdAt: Date;

  static from(e: BulkRunEntity): BulkRun {
    return Object.assign(new BulkRun(), {
      id: toGlobalId('BulkRun', e.id), rawId: e.id, syncId: toGlobalId('Sync', e.syncId), syncVersion: e.syncVersion, mode: e.mode, trigger: e.trigger, state: e.state,
      progress: {
        pages: e.pages, records: e.records, total: e.total, delivered: e.delivered, unchanged: e.unchanged, filtered: e.filtered, failed: e.failed,
        inFlight: Math.max(0, e.published - e.delivered - e.unchanged - e.filtered - e.failed),
      },
      watermark: e.watermark, errors: e.errors.map((x) => ({ at: new Date(x.at), message: x.message })),
      traceId: e.traceId?.split('-')[1] ?? null, pageTraceIds: e.pageTraceIds, startedAt: e.startedAt, endedAt: e.endedAt, createdAt: e.createdAt,
    });
  }
}

@ObjectType({ description: "A sync's bulk settings (configureBulkSync)" })
export class BulkSettings {
  @Field({ description: "The source connector's list operation, e.g. listSegmentProfiles" }) listOperation: string;
  @Field(() => GraphQLJSONObject, { description: 'Parameters of the list operation, e.g. {"segmentId": "…"}' }) params: Record<string, string>;
  @Field(() => Int) pageSize: number;
  @Field(() => Int, { description: 'Published but unprocessed records above which a run waits (backpressure)' }) maxInFlight: number;
  @Field(() => String, { nullable: true, description: '5-field cron (UTC) for bulk runs; null: on demand only' }) schedule: string | null;
  @Field(() => BulkRunMode) scheduleMode: BulkRunMode;
  @Field(() => Date, { nullable: true }) nextRunAt: Date | null;
  @Field(() => String, { nullable: true, description: '5-field cron (UTC) for accuracy audits' }) auditSchedule: string | null;
  @Field(() => Int) auditSampleSize: number;
  @Field(() => Date, { nullable: true }) nextAuditAt: Date | null;

  static from(e: BulkSettingsEntity): BulkSettings {
    return Object.assign(new BulkSettings(), e);
  }
}

@InputType()
export class BulkSettingsInput {
  @Field({ description: "The source connector's list operation (kind list)" }) listOperation: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) params?: Record<string, unknown>;
  @Field(() => Int, { nullable: true, description: 'Records per page, 1..1000 (capped by the operation\'s maximum); default 200' }) pageSize?: number;
  @Field(() => Int, { nullable: true, description: 'Default 1000' }) maxInFlight?: number;
  @Field(() => String, { nullable: true }) schedule?: string | null;
  @Field(() => BulkRunMode, { nullable: true, description: 'Mode of scheduled runs; default INCREMENTAL' }) scheduleMode?: BulkRunMode;
  @Field(() => String, { nullable: true }) auditSchedule?: string | null;
  @Field(() => Int, { nullable: true, description: 'Records a scheduled audit samples, 1..1000; default 50' }) auditSampleSize?: number;
}

@ObjectType({ description: 'One sampled record of an audit that did not match' })
export class AccuracyAuditExample {
  @Field() entityId: string;
  @Field(() => AuditVerdict) verdict: AuditVerdictName;
  @Field(() => String, { nullable: true, description: 'The value the target was searched by (e.g. the email)' }) matchValue: string | null;
  @Field(() => GraphQLJSON, { description: '[{path, expected, actual}] (or [{reason}] when unreadable)' }) differences: unknown[];

  static from(e: AccuracyAuditItemEntity): AccuracyAuditExample {
    return Object.assign(new AccuracyAuditExample(), { entityId: e.entityKey, verdict: e.verdict, matchValue: e.matchValue, differences: e.differences });
  }
}

@ObjectType({ implements: Node, description: 'An accuracy audit: sampled records read in both systems and compared field by field.' })
export class AccuracyAudit extends Node {
  rawId: string;
  @Field(() => ID) syncId: string;
  @Field(() => AccuracyAuditState) state: AuditStateName;
  @Field() trigger: string;
  @Field(() => Int) sampleSize: number;
  @Field(() => Int) sampled: number;
  @Field(() => Int) matched: number;
  @Field(() => Int, { description: 'Mismatched or missing in the target' }) mismatched: number;
  @Field(() => Int) unreadable: number;
  @Field(() => Float, { nullable: true, description: 'matched / (sampled − unreadable); null before any comparison' }) matchRate: number | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => ID, { nullable: true, description: 'The repair run (repairAuditMismatches), once started' }) repairRunId: string | null;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
  @Field() createdAt: Date;

  static from(e: AccuracyAuditEntity): AccuracyAudit {
    const compared = e.sampled - e.unreadable;
    return Object.assign(new AccuracyAudit(), {
      id: toGlobalId('AccuracyAudit', e.id), rawId: e.id, syncId: toGlobalId('Sync', e.syncId), state: e.state, trigger: e.trigger,
      sampleSize: e.sampleSize, sampled: e.sampled, matched: e.matched, mismatched: e.mismatched, unreadable: e.unreadable,
      matchRate: compared > 0 ? e.matched / compared : null, error: e.error, repairRunId: e.repairRunId ? toGlobalId('BulkRun', e.repairRunId) : null,
      startedAt: e.startedAt, endedAt: e.endedAt, createdAt: e.createdAt,
    });
  }
}
