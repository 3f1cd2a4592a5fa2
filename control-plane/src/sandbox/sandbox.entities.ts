import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A sample and what its mapped payload must be; activateSyncVersion runs every one (see sandbox README). */
@Entity('sync_test_cases')
export class SyncTestCaseEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('text') name: string;
  @Column('jsonb') input: { entityId?: string; record?: unknown };
  @Column('jsonb') expected: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** One sandbox run: written here as "pending", filled in by the worker that ran it. */
@Entity('sandbox_runs')
export class SandboxRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('int') version: number;
  @Column('text') mode: string;
  @Column('jsonb') input: { entityId?: string; record?: unknown };
  @Column('bytea', { select: false }) plan: Buffer;
  @Column('uuid', { name: 'test_case_id', nullable: true }) testCaseId: string | null;
  @Column('jsonb', { nullable: true }) expected: unknown;
  @Column('text') status: string;
  @Column('text', { nullable: true }) outcome: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb', { nullable: true }) mapped: unknown;
  @Column('jsonb') steps: unknown[];
  @Column('jsonb') requests: unknown[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
