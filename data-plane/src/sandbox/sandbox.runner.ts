import { canonicalJson, type ConnectorClient, type EgressProxy } from '@datahub/connectors';
import { create, fromBinary, HubEventSchema, SyncPlanSchema, TriggerKind, type SyncPlan } from '@datahub/proto';
import type { Database } from '../store/db.pool';
import type { Fingerprint } from '../worker/entity.lease';
import { PipelineTrace } from '../worker/pipeline.trace';
import { entityKeyOf, SyncPipeline, type PipelineResult } from '../worker/sync.pipeline';
import type { TargetGuard } from '../worker/target.guard';

/** How a sandbox run ended, as stored in sandbox_runs.status. */
export type SandboxStatus = 'passed' | 'failed' | 'error';

export interface SandboxRunnerDeps {
  db: Pick<Database, 'query'>;
  client: ConnectorClient;
  guard: TargetGuard;
  timeoutMs: number;
  connectorRate: (connector: string) => number;
  /** The tenant's egress proxy: a live probe leaves through it as live events do. */
  proxyOf?: (tenantId: string) => Promise<EgressProxy | null>;
}

interface RunRow {
  id: string;
  sync_id: string;
  mode: 'DRY_RUN' | 'SANDBOX_TARGET' | 'LIVE_PROBE';
  input: { entityId?: string; record?: unknown };
  plan: Buffer;
  expected: unknown;
}

/** What the live pipeline would have recorded, in the words a sandbox run uses. */
function outcomeOf(r: PipelineResult, dryRun: boolean): string {
  switch (r.kind) {
    case 'ok': return dryRun ? 'would_deliver' : 'delivered';
    case 'skipped': return r.outcome;
    case 'held': return 'held';
    case 'retryable':
    case 'permanent': return 'failed';
    default: {
      const unknown: never = r;
      return String(unknown);
    }
  }
}

/**
 * Runs one stored sandbox run (sandbox_runs row) through the very SyncPipeline live events use,
 * with a PipelineTrace recording each step and request, and stores the result in the row.
 * Change detection reads the entity's fingerprint but never writes one; no lease is taken and no
 * delivery attempt is recorded (a LIVE_PROBE is recorded here, as a probe, not in the delivery log).
 */
export async function runSandbox(runId: string, tenantId: string, deps: SandboxRunnerDeps): Promise<{ status: SandboxStatus; error: string }> {
  const { rows } = await deps.db.query<RunRow>(
    `SELECT id, sync_id, mode, input, plan, expected FROM sandbox_runs WHERE id = $1 AND tenant_id = $2 AND status = 'pending'`, [runId, tenantId]);
  const row = rows[0];
  if (!row) return { status: 'error', error: `sandbox run ${runId} is unknown or already ran` };
  const plan = fromBinary(SyncPlanSchema, row.plan);
  const push = plan.trigger?.kind === TriggerKind.PUSH;
  const event = create(HubEventSchema, {
    eventId: row.id, tenantId, projectId: plan.projectId, syncId: plan.syncId, syncVersion: plan.version,
    trigger: push ? TriggerKind.PUSH : TriggerKind.NOTIFY,
    entityId: row.input.entityId ?? '',
    recordJson: push ? Buffer.from(JSON.stringify(row.input.record ?? null)) : new Uint8Array(),
    attempt: 1, receivedAtMs: BigInt(Date.now()),
  });
  const trace = new PipelineTrace(row.mode === 'DRY_RUN');
  const key = entityKeyOf(event, plan);
  const result = await new SyncPipeline(deps.client, deps.guard, undefined, deps.proxyOf).run(event, plan, {
    entityKey: key, last: key ? await fingerprint(deps.db, plan, key) : null, timeoutMs: plan.delivery?.timeoutMs || deps.timeoutMs,
    ratePerSec: plan.delivery?.rateLimitPerSec || (plan.target ? deps.connectorRate(plan.target.connector) : 0),
    sourceRatePerSec: plan.source ? deps.connectorRate(plan.source.connector) : 0,
    trace,
  });
  const mapped = trace.steps.find((s) => s.step === 'transform')?.output ?? null;
  const verdict = judge(result, mapped, row.expected);
  await deps.db.query(
    `UPDATE sandbox_runs SET status = $2, outcome = $3, reason = $4, mapped = $5, steps = $6, requests = $7, finished_at = now() WHERE id = $1`,
    [row.id, verdict.status, outcomeOf(result, trace.dryRun), verdict.reason, JSON.stringify(mapped), JSON.stringify(trace.steps), JSON.stringify(trace.requests)],
  );
  return { status: verdict.status, error: '' };
}

/**
 * A test case passes when the mapped payload equals the expected one (canonical JSON: key order
 * does not matter); any other run passes when the pipeline reached a verdict without failing.
 */
function judge(result: PipelineResult, mapped: unknown, expected: unknown): { status: 'passed' | 'failed'; reason: string | null } {
  const reason = 'reason' in result ? result.reason : null;
  if (expected !== null && expected !== undefined) {
    if (mapped !== null && canonicalJson(mapped) === canonicalJson(expected)) return { status: 'passed', reason };
    return { status: 'failed', reason: mapped === null ? `no mapped payload${reason ? `: ${reason}` : ''}` : 'the mapped payload differs from the expected one' };
  }
  return { status: result.kind === 'ok' || result.kind === 'skipped' ? 'passed' : 'failed', reason };
}

async function fingerprint(db: Pick<Database, 'query'>, plan: SyncPlan, key: string): Promise<Fingerprint | null> {
  const { rows } = await db.query(`SELECT hash, sync_version, received_at_ms FROM delivery_fingerprints WHERE sync_id = $1 AND entity_key = $2`, [plan.syncId, key]);
  const r = rows[0];
  return r ? { hash: r.hash, syncVersion: r.sync_version, receivedAtMs: Number(r.received_at_ms) } : null;
}
