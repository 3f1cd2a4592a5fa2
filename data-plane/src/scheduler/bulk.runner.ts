import { readPath, type ConnectorClient, type ConnectorRegistry, type ConfirmedPublisher, type HttpOperation, type HttpResult } from '@datahub/connectors';
import type { EndpointPlan, SyncPlan } from '@datahub/proto';
import { isSpanContextValid, propagation, ROOT_CONTEXT, trace, type Link } from '@opentelemetry/api';
import { logger } from '../logger';
import { Attr, traceHeaders, tracer } from '@datahub/connectors';
import type { ConfigStore } from '../store/config.store';
import { classify } from '../worker/delivery.classify';
import { isHeld, type TargetGuard } from '../worker/target.guard';
import { nextPosition, pageQuery, pageSize, totalOf } from './bulk.pager';
import { publishRecords, type BulkRecord } from './bulk.publish';
import type { RunRow, RunStore } from './run.store';

export interface BulkRunnerDeps {
  runs: RunStore;
  store: ConfigStore;
  client: ConnectorClient;
  guard: TargetGuard;
  publisher: ConfirmedPublisher;
  registry: ConnectorRegistry;
  /** Mismatched records of an audit, for a repair run. */
  repairRecords(auditId: string): Promise<BulkRecord[]>;
  holder: string;
  pollMs: number;
  timeoutMs: number;
  connectorRate(connector: string): number;
}

const PAGE_ATTEMPTS = 5;
/** Waits `ms`, or less when the signal aborts; leaves no listener behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

class RunStopped extends Error {}

/**
 * Takes one bulk run as far as it can: queued → running (pages, a checkpoint after each) →
 * draining (until the worker has processed every published record) → succeeded. Resumes a run a
 * previous leader left at its last checkpoint. Stops quietly when leadership is lost (`signal`).
 */
export async function executeRun(id: string, signal: AbortSignal, deps: BulkRunnerDeps): Promise<void> {
  let run = await deps.runs.load(id);
  if (!run) return;
  const plan = await deps.store.plan(run.syncId, run.syncVersion);
  if (!plan?.source) {
    await fail(run, `sync version ${run.syncVersion} has no plan with a source to list`, deps);
    return;
  }
  try {
    if (run.state === 'queued') {
      const watermark = run.mode === 'incremental' ? await deps.runs.lastSuccessStart(run.syncId) : null;
      const span = tracer.startSpan('bulk run', { root: true, attributes: { [Attr.sync]: run.syncId, [Attr.tenant]: run.tenantId, 'hub.bulk_run_id': run.id, 'hub.bulk_mode': run.mode } });
      const traceparent = isSpanContextValid(span.spanContext()) ? traceHeaders(trace.setSpan(ROOT_CONTEXT, span)).traceparent ?? null : null;
      span.end();
      if (!(await deps.runs.move(run.id, 'running', { startedBy: deps.holder, traceId: traceparent ?? undefined, watermark }))) return;
      run = (await deps.runs.load(id))!;
    }
    if (run.state === 'cancelling') {
      await deps.runs.move(run.id, 'cancelled', { ended: true });
      return;
    }
    if (run.state === 'running') {
      if (run.mode === 'repair') await publishRepair(run, plan, deps);
      else await pages(run, plan, signal, deps);
      if (!(await deps.runs.move(run.id, 'draining'))) return finishCancel(run.id, deps);
    }
    await drain(run.id, signal, deps);
  } catch (err) {
    if (signal.aborted) return;
    const now = await deps.runs.inFlight(run.id);
    if (now?.state === 'cancelling') return finishCancel(run.id, deps);
    if (err instanceof RunStopped) return;
    await fail(run, `bulk run stopped: ${(err as Error).message}`, deps);
  }
}

async function pages(run: RunRow, plan: SyncPlan, signal: AbortSignal, deps: BulkRunnerDeps): Promise<void> {
  const source = plan.source!;
  const opName = run.listOperation;
  const op = opName ? deps.registry.operation(source.connector, opName) : undefined;
  if (!op || op.kind !== 'list' || !('pagination' in op) || !op.pagination) {
    throw new Error(`${source.connector} has no list operation ${opName ?? '(none configured: configureBulkSync)'}`);
  }
  const list = op as HttpOperation & { pagination: NonNullable<HttpOperation['pagination']> };
  const endpoint: EndpointPlan = { ...source, params: { ...source.params, ...run.params } };
  const size = pageSize(list.pagination, run.pageSize);
  let watermarkQuery: Record<string, string> = {};
  if (run.mode === 'incremental' && run.watermark) {
    if (list.watermark) watermarkQuery = { [list.watermark.param]: run.watermark.toISOString() };
    else if (run.cursor === null) await deps.runs.error(run.id, `${source.connector}.${opName} has no watermark: this incremental run reads everything`);
  }
  const runContext = run.traceId ? propagation.extract(ROOT_CONTEXT, { traceparent: run.traceId }) : null;
  const runSpan = runContext ? trace.getSpanContext(runContext) : undefined;
  let position = run.cursor;
  for (;;) {
    await backpressure(run, signal, deps);
    const links: Link[] = runSpan ? [{ context: runSpan }] : [];
    const span = tracer.startSpan('bulk page', { root: true, links, attributes: { [Attr.sync]: run.syncId, 'hub.bulk_run_id': run.id, 'hub.bulk_position': position ?? 'start' } });
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    try {
      const query = { ...pageQuery(list.pagination, position, size), ...watermarkQuery };
      const body = await fetchPage(run, plan, endpoint, opName!, query, signal, deps);
      const items = readPath(body, list.results);
      const rows = Array.isArray(items) ? items : [];
      const records: BulkRecord[] = [];
      for (const item of rows) {
        const rid = readPath(item, list.idField ?? 'id');
        if (typeof rid === 'string' || typeof rid === 'number') records.push({ id: String(rid), record: item });
      }
      if (records.length < rows.length) await deps.runs.error(run.id, `${rows.length - records.length} records without ${list.idField ?? 'id'} skipped`);
      await publishRecords(deps.publisher, run, plan.projectId, records, traceHeaders(ctx));
      const next = nextPosition(list.pagination, position, size, body, rows.length);
      const traceId = isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : null;
      span.setAttribute('hub.records', records.length);
      if (!(await deps.runs.checkpoint(run.id, next ?? position, records.length, totalOf(list.pagination, body), traceId))) throw new RunStopped();
      run.published += records.length;
      if (next === null) return;
      position = next;
    } finally {
      span.end();
    }
  }
}

/** One page, retried on transient failures (with the platform's Retry-After); a permanent failure fails the run. */
async function fetchPage(run: RunRow, plan: SyncPlan, endpoint: EndpointPlan, opName: string, query: Record<string, string>, signal: AbortSignal, deps: BulkRunnerDeps): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new RunStopped();
    const r = await deps.guard.around(endpoint, plan.tenantId, deps.connectorRate(endpoint.connector),
      () => deps.client.call(endpoint, opName, {}, undefined, { timeoutMs: deps.timeoutMs, query }), true);
    let waitMs: number;
    let reason: string;
    if (isHeld(r)) {
      waitMs = r.untilMs - Date.now();
      reason = r.reason;
    } else {
      const v = classify(r as HttpResult);
      if (v.kind === 'ok') return (r as HttpResult).json;
      if (v.kind === 'permanent') throw new Error(`list ${opName}: ${v.reason}`);
      waitMs = Math.max(v.retryAfterMs ?? 0, 500 * 2 ** attempt);
      reason = v.reason;
      if (attempt >= PAGE_ATTEMPTS) throw new Error(`list ${opName}: ${reason} (after ${attempt} attempts)`);
    }
    await deps.runs.error(run.id, `list ${opName} page ${JSON.stringify(query)}: ${reason}; trying again in ${Math.round(waitMs)} ms`);
    await sleep(Math.max(0, waitMs), signal);
  }
}

/** Waits while more than max_in_flight published records are not processed yet; notices a cancel. */
async function backpressure(run: RunRow, signal: AbortSignal, deps: BulkRunnerDeps): Promise<void> {
  for (;;) {
    if (signal.aborted) throw new RunStopped();
    const now = await deps.runs.inFlight(run.id);
    if (!now || now.state !== 'running') throw new RunStopped();
    if (now.inFlight <= run.maxInFlight) return;
    await sleep(deps.pollMs, signal);
  }
}

async function publishRepair(run: RunRow, plan: SyncPlan, deps: BulkRunnerDeps): Promise<void> {
  if (run.cursor === 'done') return;
  const records = run.auditId ? await deps.repairRecords(run.auditId) : [];
  await publishRecords(deps.publisher, run, plan.projectId, records, {}, true); // a repair starts no trace of its own: each record's attempt does
  if (!(await deps.runs.checkpoint(run.id, 'done', records.length, records.length, null))) throw new RunStopped();
}

async function drain(id: string, signal: AbortSignal, deps: BulkRunnerDeps): Promise<void> {
  for (;;) {
    if (signal.aborted) return;
    const now = await deps.runs.inFlight(id);
    if (!now) return;
    if (now.state === 'cancelling') return finishCancel(id, deps);
    if (now.state !== 'draining') return;
    if (now.inFlight <= 0) {
      await deps.runs.move(id, 'succeeded', { ended: true });
      return;
    }
    await sleep(deps.pollMs, signal);
  }
}

async function finishCancel(id: string, deps: BulkRunnerDeps): Promise<void> {
  await deps.runs.move(id, 'cancelled', { ended: true });
}

async function fail(run: RunRow, message: string, deps: BulkRunnerDeps): Promise<void> {
  logger.warn({ runId: run.id, syncId: run.syncId, reason: message }, 'bulk run failed');
  await deps.runs.error(run.id, message);
  if (!(await deps.runs.move(run.id, 'failed', { ended: true }))) await finishCancel(run.id, deps);
}

