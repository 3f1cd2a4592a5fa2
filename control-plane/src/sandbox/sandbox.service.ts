import { TARGET_OPERATION_KINDS } from '@datahub/connectors';
import { Conflict, Forbidden, InvalidInput, Unavailable } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { requireName, requireText } from '../common/validate';
import { SyncEntity, SyncVersionEntity } from '../db/base.entities';
import { compileSyncPlan } from '../syncs/sync.compile';
import type { EndpointDefinition, SyncDefinition } from '../syncs/sync.definition';
import type { EndpointInput } from '../syncs/sync.types';
import type { SyncValidator } from '../syncs/sync.validate';
import { SandboxRunEntity, SyncTestCaseEntity } from './sandbox.entities';
import { SandboxUnavailable, type SandboxRunner } from './sandbox.rpc';
import { ActivationCheckStatus, SandboxMode, type CreateSyncTestCaseInput, type SandboxSampleInput } from './sandbox.types';

type Sample = { entityId?: string; record?: unknown };

/** What activateSyncVersion stores in sync_versions.activation_check. */
export interface ActivationCheckRecord {
  status: ActivationCheckStatus;
  warning: string | null;
  overrideReason: string | null;
  runIds: string[];
}

const GATE_PARALLEL_RUNS = 4;
const MAX_TEST_CASES_PER_SYNC = 50;

const NO_TEST_CASES_WARNING = 'This sync has no test cases, so nothing was checked before activation; add some with createSyncTestCase';

/** Sandbox runs, saved test cases and the activation gate (see README.md beside this file). */
export class SandboxService {
  /** `keepRuns`: the newest runs kept per sync; older ones are deleted as new ones start. */
  constructor(private readonly runner: SandboxRunner, private readonly validator: SyncValidator, private readonly keepRuns = 500) {}

  /** Stores a run of `version` on `sample` and has a worker carry it out; the run as stored afterwards. */
  async run(scope: TenantScope, syncGlobalId: string, version: number, sample: SandboxSampleInput, mode: SandboxMode): Promise<SandboxRunEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    const definition = await this.definitionOf(scope, sync, version, 'version');
    return this.execute(scope, sync, version, definition, checkSample(definition, sample, 'input'), mode, null);
  }

  /**
   * The activation gate: every test case of the sync must pass a dry run of `version`. A sync with
   * no test cases is let through with a warning; `override` (admin scope) skips the runs and is audited.
   */
  async check(scope: TenantScope, sync: SyncEntity, version: number, override: { reason: string; admin: boolean } | null): Promise<ActivationCheckRecord> {
    if (override) {
      if (!override.admin) throw new Forbidden('Activating without the test cases needs the admin scope');
      return { status: ActivationCheckStatus.OVERRIDDEN, warning: null, overrideReason: requireText(override.reason.trim(), 'override.reason', 1000), runIds: [] };
    }
    const cases = await scope.repo(SyncTestCaseEntity).find({ where: scope.where<SyncTestCaseEntity>({ syncId: sync.id }), order: { createdAt: 'ASC' } });
    if (cases.length === 0) return { status: ActivationCheckStatus.NO_TEST_CASES, warning: NO_TEST_CASES_WARNING, overrideReason: null, runIds: [] };
    const definition = await this.definitionOf(scope, sync, version, 'version');
    // A few at a time: each waits for a worker within the timeout, and a worker takes a few at once.
    const runs: SandboxRunEntity[] = [];
    for (let i = 0; i < cases.length; i += GATE_PARALLEL_RUNS) {
      runs.push(...await Promise.all(cases.slice(i, i + GATE_PARALLEL_RUNS).map((c) => this.execute(scope, sync, version, definition, c.input, SandboxMode.DRY_RUN, c))));
    }
    const failed = runs.map((r, i) => ({ run: r, name: cases[i]!.name })).filter(({ run }) => run.status !== 'passed');
    if (failed.length > 0) {
      throw new Conflict(
        `Version ${version} fails ${failed.length} of ${cases.length} test cases (${failed.map((f) => `"${f.name}": ${f.run.reason ?? f.run.status}`).join('; ')}); fix the mapping, or activate with an override`,
        { failedTestCases: failed.map((f) => ({ name: f.name, runId: f.run.id, reason: f.run.reason })) },
      );
    }
    return { status: ActivationCheckStatus.PASSED, warning: null, overrideReason: null, runIds: runs.map((r) => r.id) };
  }

  async createTestCase(scope: TenantScope, input: CreateSyncTestCaseInput): Promise<SyncTestCaseEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', input.syncId, 'input.syncId');
    const latest = await scope.repo(SyncVersionEntity).findOne({ where: scope.where<SyncVersionEntity>({ syncId: sync.id }), order: { version: 'DESC' } });
    const sample = checkSample(latest!.definition as SyncDefinition, input.input, 'input.input');
    if (input.expected === undefined || input.expected === null) throw new InvalidInput('input.expected', 'expected is required: the mapped payload the sample must produce');
    if ((await scope.repo(SyncTestCaseEntity).countBy(scope.where<SyncTestCaseEntity>({ syncId: sync.id }))) >= MAX_TEST_CASES_PER_SYNC) {
      throw new Conflict(`A sync keeps at most ${MAX_TEST_CASES_PER_SYNC} test cases (each runs on every activation); delete one first`);
    }
    return scope.repo(SyncTestCaseEntity).save({ tenantId: scope.tenantId, syncId: sync.id, name: requireName(input.name, 'input.name'), input: sample, expected: input.expected });
  }

  async deleteTestCase(scope: TenantScope, globalId: string): Promise<SyncTestCaseEntity> {
    const row = await scope.load(SyncTestCaseEntity, 'SyncTestCase', globalId, 'id');
    await scope.repo(SyncTestCaseEntity).delete(scope.where<SyncTestCaseEntity>({ id: row.id }));
    return row;
  }

  /** Names (or, with null, forgets) the endpoint SANDBOX_TARGET runs deliver to. */
  async setSandboxTarget(scope: TenantScope, syncGlobalId: string, target: EndpointInput | null): Promise<{ before: SyncEntity; after: SyncEntity }> {
    const before = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    const endpoint = target ? await this.validator.endpoint(scope, target, 'target', TARGET_OPERATION_KINDS) : null;
    await scope.ds.query(`UPDATE syncs SET sandbox_target = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2`, [before.id, scope.tenantId, endpoint && JSON.stringify(endpoint)]);
    return { before, after: await scope.loadRaw(SyncEntity, 'Sync', before.id) };
  }

  private async definitionOf(scope: TenantScope, sync: SyncEntity, version: number, field: string): Promise<SyncDefinition> {
    const row = await scope.repo(SyncVersionEntity).findOneBy(scope.where<SyncVersionEntity>({ syncId: sync.id, version }));
    if (!row) throw new InvalidInput(field, `Sync has no version ${version}`);
    return row.definition as SyncDefinition;
  }

  private async execute(scope: TenantScope, sync: SyncEntity, version: number, definition: SyncDefinition, sample: Sample, mode: SandboxMode, testCase: SyncTestCaseEntity | null): Promise<SandboxRunEntity> {
    let d = definition;
    if (mode === SandboxMode.SANDBOX_TARGET) {
      if (!sync.sandboxTarget) throw new InvalidInput('mode', 'This sync names no sandbox target; set one with setSyncSandboxTarget');
      d = { ...definition, target: sync.sandboxTarget as unknown as EndpointDefinition, destination: null };
    }
    const plan = compileSyncPlan({ syncId: sync.id, version, tenantId: scope.tenantId, projectId: sync.projectId }, d);
    const repo = scope.repo(SandboxRunEntity);
    const row = await repo.save(repo.create({
      tenantId: scope.tenantId, syncId: sync.id, version, mode, input: sample, plan: Buffer.from(plan),
      testCaseId: testCase?.id ?? null, expected: testCase?.expected ?? null, status: 'pending', steps: [], requests: [],
    }));
    await scope.ds.query(
      `DELETE FROM sandbox_runs WHERE id IN (SELECT id FROM sandbox_runs WHERE tenant_id = $1 AND sync_id = $2 ORDER BY created_at DESC, id DESC OFFSET $3)`,
      [scope.tenantId, sync.id, this.keepRuns]);
    try {
      const reply = await this.runner.run(row.id, scope.tenantId);
      if (reply.status === 'error' && reply.error) {
        await repo.update({ id: row.id, status: 'pending' }, { status: 'error', reason: reply.error, finishedAt: new Date() });
      }
    } catch (e) {
      if (e instanceof SandboxUnavailable) throw new Unavailable(`The sandbox run could not be carried out: ${e.message}`);
      throw e;
    }
    return scope.loadRaw(SandboxRunEntity, 'SandboxRun', row.id);
  }
}

/** A NOTIFY sync's sample is an entity id, a PUSH sync's a record; the other one is refused. */
function checkSample(d: SyncDefinition, sample: SandboxSampleInput, at: string): Sample {
  if (d.trigger.kind === 'notify') {
    if (sample.record !== undefined && sample.record !== null) throw new InvalidInput(`${at}.record`, 'This sync is NOTIFY: give the entityId to fetch, not a record');
    return { entityId: requireText(sample.entityId, `${at}.entityId`, 512) };
  }
  if (sample.entityId) throw new InvalidInput(`${at}.entityId`, 'This sync is PUSH: give the record as the origin would post it, not an entityId');
  if (!sample.record || typeof sample.record !== 'object') throw new InvalidInput(`${at}.record`, 'record is required for a PUSH sync');
  return { record: sample.record };
}
