import type { AuditStateName, AuditVerdictName, BulkRunModeName, BulkRunStateName, BulkRunTriggerName } from '@datahub/proto';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** How a sync runs in bulk (list operation, page size, schedules); one row per sync (configureBulkSync). */
@Entity('bulk_settings')
export class BulkSettingsEntity {
  @PrimaryColumn('uuid', { name: 'sync_id' }) syncId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'list_operation' }) listOperation: string;
  @Column('jsonb') params: Record<string, string>;
  @Column('int', { name: 'page_size' }) pageSize: number;
  @Column('int', { name: 'max_in_flight' }) maxInFlight: number;
  @Column('text', { nullable: true }) schedule: string | null;
  @Column('text', { name: 'schedule_mode' }) scheduleMode: BulkRunModeName;
  @Column('timestamptz', { name: 'next_run_at', nullable: true }) nextRunAt: Date | null;
  @Column('text', { name: 'audit_schedule', nullable: true }) auditSchedule: string | null;
  @Column('int', { name: 'audit_sample_size' }) auditSampleSize: number;
  @Column('timestamptz', { name: 'next_audit_at', nullable: true }) nextAuditAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('bulk_runs')
export class BulkRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('int', { name: 'sync_version' }) syncVersion: number;
  @Column('text') mode: BulkRunModeName;
  @Column('text') trigger: BulkRunTriggerName;
  @Column('uuid', { name: 'audit_id', nullable: true }) auditId: string | null;
  @Column('text') state: BulkRunStateName;
  @Column('text', { nullable: true }) cursor: string | null;
  @Column('timestamptz', { nullable: true }) watermark: Date | null;
  @Column('int') pages: number;
  @Column('int') records: number;
  @Column('int') published: number;
  @Column('int') delivered: number;
  @Column('int') unchanged: number;
  @Column('int') filtered: number;
  @Column('int') failed: number;
  @Column('int', { nullable: true }) total: number | null;
  @Column('jsonb') errors: Array<{ at: string; message: string }>;
  /** W3C traceparent of the run's root span. */
  @Column('text', { name: 'trace_id', nullable: true }) traceId: string | null;
  @Column('jsonb', { name: 'page_trace_ids' }) pageTraceIds: string[];
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('accuracy_audits')
export class AccuracyAuditEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('text') trigger: 'manual' | 'schedule';
  @Column('text') state: AuditStateName;
  @Column('int', { name: 'sample_size' }) sampleSize: number;
  @Column('int') sampled: number;
  @Column('int') matched: number;
  @Column('int') mismatched: number;
  @Column('int') unreadable: number;
  @Column('text', { nullable: true }) error: string | null;
  @Column('uuid', { name: 'repair_run_id', nullable: true }) repairRunId: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('accuracy_audit_items')
export class AccuracyAuditItemEntity {
  @PrimaryColumn('uuid', { name: 'audit_id' }) auditId: string;
  @PrimaryColumn('text', { name: 'entity_key' }) entityKey: string;
  @Column('text') verdict: AuditVerdictName;
  @Column('text', { name: 'match_value', nullable: true }) matchValue: string | null;
  @Column('jsonb') differences: unknown[];
}

export const BULK_ENTITIES = [BulkSettingsEntity, BulkRunEntity, AccuracyAuditEntity, AccuracyAuditItemEntity];
