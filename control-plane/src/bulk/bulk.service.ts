import { BULK_RUN_OPEN_STATES, bulkRunStatesBefore, type BulkRunModeName } from '@datahub/proto';
import { nextCronTime, parseCron, type ConnectorRegistry } from '@datahub/connectors';
import { In, Not } from 'typeorm';
import { Conflict, InvalidInput } from '../common/errors';
import { paginate } from '../common/paginate';
import type { ConnectionArgs } from '../common/relay';
import type { TenantScope } from '../common/tenant.scope';
import { SyncEntity, SyncVersionEntity } from '../db/base.entities';
import type { SyncDefinition } from '../syncs/sync.definition';
import { AccuracyAuditEntity, AccuracyAuditItemEntity, BulkRunEntity, BulkSettingsEntity } from './bulk.entities';
import { AccuracyAudit, BulkRun, type BulkSettingsInput } from './bulk.types';

const UNIQUE_VIOLATION = '23505';

function intIn(value: number | undefined, fallback: number, min: number, max: number, field: string): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidInput(field, `${field.split('.').pop()} must be between ${min} and ${max}`);
  return value;
}

function cronField(value: string | null | undefined, field: string): { schedule: string | null; next: Date | null } {
  if (value === undefined || value === null || value.trim() === '') return { schedule: null, next: null };
  const parsed = parseCron(value);
  if (!parsed.ok) throw new InvalidInput(field, `not a cron expression: ${parsed.reason}`);
  return { schedule: value.trim(), next: nextCronTime(parsed.cron, new Date()) };
}

/**
 * Bulk syncs and accuracy audits as the control plane sees them: it validates settings, creates
 * runs and audits (queued) and cancels runs by the state table; the scheduler executes them.
 */
export class BulkService {
  constructor(private readonly registry: ConnectorRegistry) {}

  async configure(scope: TenantScope, syncGlobalId: string, input: BulkSettingsInput): Promise<BulkSettingsEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    const source = (await this.definitionOf(scope, sync)).source;
    if (!source) throw new InvalidInput('syncId', 'The sync has no source endpoint to list records from (a PUSH sync without a source)');
    const op = this.registry.operation(source.connector, input.listOperation);
    if (!op || op.kind !== 'list') {
      const lists = Object.entries(this.registry.get(source.connector)?.operations ?? {}).filter(([, o]) => o.kind === 'list').map(([n]) => n);
      throw new InvalidInput('input.listOperation', `${source.connector} has no list operation ${input.listOperation}; it has: ${lists.join(', ') || 'none'}`);
    }
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.params ?? {})) {
      if (typeof v !== 'string' && typeof v !== 'number') throw new InvalidInput(`input.params.${k}`, 'parameter values are strings');
      params[k] = String(v);
    }
    const needed = [...('path' in op ? op.path.matchAll(/\{([A-Za-z0-9_]+)\}/g) : [])].map((m) => m[1]);
    const missing = needed.filter((n) => params[n] === undefined && source.params[n] === undefined);
    if (missing.length) throw new InvalidInput('input.params', `${input.listOperation} needs ${missing.join(', ')}`);
    const run = cronField(input.schedule, 'input.schedule');
    const audit = cronField(input.auditSchedule, 'input.auditSchedule');
    if (input.scheduleMode === 'repair') throw new InvalidInput('input.scheduleMode', 'scheduled runs are FULL or INCREMENTAL');
    const row: Partial<BulkSettingsEntity> = {
      syncId: sync.id, tenantId: scope.tenantId, listOperation: input.listOperation, params,
      pageSize: intIn(input.pageSize, 200, 1, 1000, 'input.pageSize'), maxInFlight: intIn(input.maxInFlight, 1000, 1, 100_000, 'input.maxInFlight'),
      schedule: run.schedule, nextRunAt: run.next, scheduleMode: input.scheduleMode ?? 'incremental',
      auditSchedule: audit.schedule, nextAuditAt: audit.next, auditSampleSize: intIn(input.auditSampleSize, 50, 1, 1000, 'input.auditSampleSize'),
      updatedAt: new Date(),
    };
    await scope.repo(BulkSettingsEntity).upsert(row, ['syncId']);
    return scope.repo(BulkSettingsEntity).findOneByOrFail(scope.where<BulkSettingsEntity>({ syncId: sync.id }));
  }

  settings(scope: TenantScope, syncId: string): Promise<BulkSettingsEntity | null> {
    return scope.repo(BulkSettingsEntity).findOneBy(scope.where<BulkSettingsEntity>({ syncId }));
  }

  async startRun(scope: TenantScope, syncGlobalId: string, mode: BulkRunModeName): Promise<BulkRunEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    if (mode === 'repair') throw new InvalidInput('mode', 'REPAIR runs come from repairAuditMismatches');
    if (sync.archivedAt) throw new Conflict('The sync is archived: unarchiveSync first');
    if (sync.activeVersion === null) throw new InvalidInput('syncId', 'The sync has no active version; activate one first');
    if (!(await this.settings(scope, sync.id))) throw new InvalidInput('syncId', 'The sync has no bulk settings; call configureBulkSync first');
    return this.insertRun(scope, { syncId: sync.id, syncVersion: sync.activeVersion, mode, trigger: 'manual', auditId: null });
  }

  /** queued → cancelled at once; running or draining → cancelling (the scheduler stops after the page in hand). */
  async cancelRun(scope: TenantScope, runGlobalId: string): Promise<BulkRunEntity> {
    const run = await scope.load(BulkRunEntity, 'BulkRun', runGlobalId, 'runId');
    for (const to of ['cancelled', 'cancelling'] as const) {
      const from = to === 'cancelled' ? ['queued'] : bulkRunStatesBefore('cancelling');
      const done = await scope.repo(BulkRunEntity).update(
        { id: run.id, tenantId: scope.tenantId, state: In(from) },
        { state: to, updatedAt: new Date(), ...(to === 'cancelled' ? { endedAt: new Date() } : {}) },
      );
      if (done.affected) return scope.loadRaw(BulkRunEntity, 'BulkRun', run.id);
    }
    const now = await scope.loadRaw(BulkRunEntity, 'BulkRun', run.id);
    if (now.state === 'cancelling' || now.state === 'cancelled') return now;
    throw new Conflict(`The run already ended (${now.state.toUpperCase()}); there is nothing to cancel`);
  }

  runs(scope: TenantScope, syncId: string, args: ConnectionArgs) {
    return paginate(scope.repo(BulkRunEntity), scope.where<BulkRunEntity>({ syncId }), args, BulkRun.from, 'DESC');
  }

  async runAudit(scope: TenantScope, syncGlobalId: string, sampleSize: number | undefined): Promise<AccuracyAuditEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    if (sync.activeVersion === null) throw new InvalidInput('syncId', 'The sync has no active version; activate one first');
    const size = intIn(sampleSize, (await this.settings(scope, sync.id))?.auditSampleSize ?? 50, 1, 1000, 'sampleSize');
    const open = await scope.repo(AccuracyAuditEntity).findOneBy(scope.where<AccuracyAuditEntity>({ syncId: sync.id, state: In(['queued', 'running']) }));
    if (open) throw new Conflict(`An audit of this sync is already ${open.state}`);
    return scope.repo(AccuracyAuditEntity).save({
      tenantId: scope.tenantId, syncId: sync.id, trigger: 'manual', state: 'queued', sampleSize: size, sampled: 0, matched: 0, mismatched: 0, unreadable: 0,
      error: null, repairRunId: null, startedAt: null, endedAt: null,
    });
  }

  audits(scope: TenantScope, syncId: string, args: ConnectionArgs) {
    return paginate(scope.repo(AccuracyAuditEntity), scope.where<AccuracyAuditEntity>({ syncId }), args, AccuracyAudit.from, 'DESC');
  }

  /** Non-matching items of an audit (the examples GraphQL shows). */
  examples(scope: TenantScope, audit: AccuracyAudit, limit: number): Promise<AccuracyAuditItemEntity[]> {
    // The audit was loaded through the caller's scope; its items carry no tenant of their own.
    return scope.repo(AccuracyAuditItemEntity).find({ where: { auditId: audit.rawId, verdict: Not('match') }, take: limit, order: { entityKey: 'ASC' } });
  }

  /** Re-sends the mismatched records of a finished audit as a REPAIR run (change detection skipped). Once per audit. */
  async repair(scope: TenantScope, auditGlobalId: string): Promise<BulkRunEntity> {
    const audit = await scope.load(AccuracyAuditEntity, 'AccuracyAudit', auditGlobalId, 'auditId');
    if (audit.repairRunId) return scope.loadRaw(BulkRunEntity, 'BulkRun', audit.repairRunId);
    if (audit.state !== 'succeeded') throw new Conflict(`The audit is ${audit.state}; only a succeeded audit can be repaired`);
    const toRepair = await scope.repo(AccuracyAuditItemEntity).countBy({ auditId: audit.id, verdict: In(['mismatch', 'missing']) });
    if (toRepair === 0) throw new InvalidInput('auditId', 'The audit found nothing to repair');
    const sync = await scope.loadRaw(SyncEntity, 'Sync', audit.syncId);
    if (sync.activeVersion === null) throw new InvalidInput('auditId', 'The sync has no active version');
    const run = await this.insertRun(scope, { syncId: sync.id, syncVersion: sync.activeVersion, mode: 'repair', trigger: 'audit_repair', auditId: audit.id });
    await scope.repo(AccuracyAuditEntity).update({ id: audit.id, tenantId: scope.tenantId }, { repairRunId: run.id });
    return run;
  }

  private async insertRun(scope: TenantScope, r: Pick<BulkRunEntity, 'syncId' | 'syncVersion' | 'mode' | 'trigger' | 'auditId'>): Promise<BulkRunEntity> {
    try {
      return await scope.repo(BulkRunEntity).save({
        ...r, tenantId: scope.tenantId, state: 'queued', cursor: null, watermark: null, pages: 0, records: 0, published: 0, delivered: 0, unchanged: 0,
        filtered: 0, failed: 0, total: null, errors: [], traceId: null, pageTraceIds: [], startedAt: null, endedAt: null, updatedAt: new Date(),
      });
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION && (e as { driverError?: { code?: string } }).driverError?.code !== UNIQUE_VIOLATION) throw e;
      const open = await scope.repo(BulkRunEntity).findOneBy(scope.where<BulkRunEntity>({ syncId: r.syncId, state: In([...BULK_RUN_OPEN_STATES]) }));
      throw new Conflict(`A bulk run of this sync is already ${open?.state ?? 'open'}${open ? ` (${BulkRun.from(open).id})` : ''}; cancel it or wait for it to end`);
    }
  }

  private async definitionOf(scope: TenantScope, sync: SyncEntity): Promise<SyncDefinition> {
    const where = sync.activeVersion !== null ? { syncId: sync.id, version: sync.activeVersion } : { syncId: sync.id };
    const row = await scope.repo(SyncVersionEntity).findOne({ where: scope.where<SyncVersionEntity>(where), order: { version: 'DESC' } });
    return row!.definition as SyncDefinition;
  }
}
