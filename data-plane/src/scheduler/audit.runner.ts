import { fillTemplate, readPath, type ConnectorClient, type ConnectorRegistry, type HttpOperation, type HttpResult, type ReadBack } from '@datahub/connectors';
import type { EndpointPlan, SyncPlan } from '@datahub/proto';
import jsonata from 'jsonata';
import { logger } from '../logger';
import type { ConfigStore } from '../store/config.store';
import type { Database } from '../store/db.pool';
import { classify } from '../worker/delivery.classify';
import { isHeld, type TargetGuard } from '../worker/target.guard';
import { compareMapped, type Difference } from './audit.compare';
import type { BulkRecord } from './bulk.publish';

export interface AuditDeps {
  db: Database;
  store: ConfigStore;
  client: ConnectorClient;
  guard: TargetGuard;
  registry: ConnectorRegistry;
  timeoutMs: number;
  connectorRate(connector: string): number;
}

type Verdict = { verdict: 'match' | 'mismatch' | 'missing' | 'unreadable'; matchValue: string | null; differences: Difference[] | { reason: string }[]; record: unknown };

/**
 * An accuracy audit: samples entities the hub has delivered for the sync, reads each in the
 * source (its get operation) and in the target (the target operation's readBack: lookup by the
 * match value, then read), maps the source record with the sync's mapping and compares it with
 * what the target holds. Results are rows of accuracy_audit_items; counts on the audit.
 */
export async function executeAudit(id: string, signal: AbortSignal, deps: AuditDeps): Promise<void> {
  const { rows: [a] } = await deps.db.query(
    `UPDATE accuracy_audits a SET state = 'running', started_at = COALESCE(started_at, now()), sampled = 0, matched = 0, mismatched = 0, unreadable = 0
       FROM syncs s WHERE a.id = $1 AND s.id = a.sync_id AND a.state IN ('queued', 'running')
     RETURNING a.sync_id, a.sample_size, s.active_version`,
    [id],
  );
  if (!a) return;
  await deps.db.query('DELETE FROM accuracy_audit_items WHERE audit_id = $1', [id]);
  const plan = a.active_version ? await deps.store.plan(a.sync_id, a.active_version) : null;
  const problem = !plan ? 'the sync has no active version' : plan.destination ? 'a webhook destination cannot be read back' : !plan.source ? 'the sync has no source to read records from' : readBackOf(plan, deps.registry) ? null
    : `${plan.target!.connector}.${plan.target!.operation} cannot be read back (no readBack in its manifest)`;
  if (problem || !plan) return finish(id, 'failed', problem, deps);
  const rb = readBackOf(plan, deps.registry)!;
  try {
    const mapping = jsonata(plan.mapping);
    const shape = rb.shape ? jsonata(rb.shape) : null;
    const { rows: sample } = await deps.db.query('SELECT entity_key FROM delivery_fingerprints WHERE sync_id = $1 ORDER BY random() LIMIT $2', [a.sync_id, a.sample_size]);
    for (const { entity_key: key } of sample) {
      if (signal.aborted) return;
      const v = await auditOne(plan, rb, key as string, mapping, shape, deps);
      await deps.db.query(
        `INSERT INTO accuracy_audit_items (audit_id, entity_key, verdict, match_value, differences, source_record) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [id, key, v.verdict, v.matchValue, JSON.stringify(v.differences), v.record === undefined ? null : JSON.stringify(v.record)],
      );
      const col = v.verdict === 'match' ? 'matched' : v.verdict === 'unreadable' ? 'unreadable' : 'mismatched';
      await deps.db.query(`UPDATE accuracy_audits SET sampled = sampled + 1, ${col} = ${col} + 1 WHERE id = $1`, [id]);
    }
    await finish(id, 'succeeded', null, deps);
  } catch (err) {
    if (!signal.aborted) await finish(id, 'failed', (err as Error).message, deps);
  }
}

function readBackOf(plan: SyncPlan, registry: ConnectorRegistry): ReadBack | undefined {
  const op = registry.operation(plan.target!.connector, plan.target!.operation);
  return op && 'readBack' in op ? (op as HttpOperation).readBack : undefined;
}

async function auditOne(plan: SyncPlan, rb: ReadBack, key: string, mapping: jsonata.Expression, shape: jsonata.Expression | null, deps: AuditDeps): Promise<Verdict> {
  const source = plan.source!;
  const target = plan.target!;
  const unreadable = (reason: string, record?: unknown): Verdict => ({ verdict: 'unreadable', matchValue: null, differences: [{ reason }], record });
  const got = await call(deps, plan, source, source.operation, { id: key });
  if (typeof got === 'string') return unreadable(`source: ${got}`);
  const record = readPath(got, deps.registry.httpOperation(source.connector, source.operation).record);
  const payload = await mapping.evaluate({ record, event: { id: `audit:${key}`, entityId: key, attempt: 0 } });
  const matchValue = readPath(payload, fillTemplate(rb.matchValuePath, target.params));
  if (typeof matchValue !== 'string' && typeof matchValue !== 'number') return unreadable(`the mapped payload has no ${rb.matchValuePath}`, record);
  const lookupOp = deps.registry.httpOperation(target.connector, rb.lookup);
  const found = await call(deps, plan, target, rb.lookup, { matchValue: String(matchValue), matchField: target.params.matchField ?? '' });
  if (typeof found === 'string') return unreadable(`target lookup: ${found}`, record);
  const first = (readPath(found, lookupOp.results) as unknown[] | undefined)?.[0];
  if (first === undefined) return { verdict: 'missing', matchValue: String(matchValue), differences: [{ path: '.', expected: payload, actual: null }], record };
  let actual: unknown = first;
  if (rb.read) {
    const readOp = deps.registry.httpOperation(target.connector, rb.read);
    const read = await call(deps, plan, target, rb.read, { id: String(readPath(first, lookupOp.idField ?? 'id')) });
    if (typeof read === 'string') return unreadable(`target read: ${read}`, record);
    actual = readPath(read, readOp.record);
  }
  if (shape) actual = await shape.evaluate(actual);
  const differences = compareMapped(payload, actual);
  return { verdict: differences.length ? 'mismatch' : 'match', matchValue: String(matchValue), differences, record };
}

/** One call through the guard (breaker, shared rate limit; yielding to real-time work): the body, or why not. */
async function call(deps: AuditDeps, plan: SyncPlan, endpoint: EndpointPlan, operation: string, vars: Record<string, string>): Promise<unknown | string> {
  for (let attempt = 1, held = 0; ; attempt++) {
    const r = await deps.guard.around(endpoint, plan.tenantId, deps.connectorRate(endpoint.connector),
      () => deps.client.call(endpoint, operation, vars, undefined, { timeoutMs: deps.timeoutMs }), true);
    if (isHeld(r)) {
      // An open circuit or a long rate-limit wait: give it a minute or so, then call the record unreadable.
      if (++held > 12) return `not called: ${r.reason}`;
      attempt--;
      await new Promise((res) => setTimeout(res, Math.min(5_000, Math.max(50, r.untilMs - Date.now()))));
      continue;
    }
    const v = classify(r as HttpResult);
    if (v.kind === 'ok') return (r as HttpResult).json;
    if (v.kind === 'permanent' || attempt >= 3) return v.reason;
    await new Promise((res) => setTimeout(res, Math.min(5_000, v.retryAfterMs ?? 500 * attempt)));
  }
}

async function finish(id: string, state: 'succeeded' | 'failed', error: string | null, deps: AuditDeps): Promise<void> {
  if (error) logger.warn({ auditId: id, reason: error }, 'accuracy audit failed');
  await deps.db.query(`UPDATE accuracy_audits SET state = $2, error = $3, ended_at = now() WHERE id = $1 AND state = 'running'`, [id, state, error]);
}

/** The records a repair re-sends: mismatched or missing items of an audit, as read from the source. */
export async function repairRecords(db: Database, auditId: string): Promise<BulkRecord[]> {
  const { rows } = await db.query(
    `SELECT entity_key, source_record FROM accuracy_audit_items WHERE audit_id = $1 AND verdict IN ('mismatch', 'missing') AND source_record IS NOT NULL`,
    [auditId],
  );
  return rows.map((r) => ({ id: r.entity_key as string, record: r.source_record }));
}
