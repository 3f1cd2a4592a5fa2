import { BULK_RUN_OPEN_STATES, bulkRunStatesBefore, type BulkRunModeName, type BulkRunStateName } from '@datahub/proto';
import type { Database } from '../store/db.pool';

/** A bulk run as the scheduler needs it, with its sync's bulk settings. */
export interface RunRow {
  id: string;
  tenantId: string;
  syncId: string;
  syncVersion: number;
  mode: BulkRunModeName;
  auditId: string | null;
  state: BulkRunStateName;
  cursor: string | null;
  watermark: Date | null;
  published: number;
  processed: number;
  traceId: string | null;
  listOperation: string | null;
  params: Record<string, string>;
  pageSize: number;
  maxInFlight: number;
}

const MAX_ERRORS = 20;
const MAX_PAGE_TRACES = 200;

/** Every read and write of bulk_runs the scheduler makes; moves follow the state table (proto/bulk.states). */
export class RunStore {
  constructor(private readonly db: Database) {}

  async load(id: string): Promise<RunRow | null> {
    const { rows: [r] } = await this.db.query(
      `SELECT r.id, r.tenant_id, r.sync_id, r.sync_version, r.mode, r.audit_id, r.state, r.cursor, r.watermark, r.published,
              r.delivered + r.unchanged + r.filtered + r.failed AS processed, r.trace_id,
              s.list_operation, COALESCE(s.params, '{}') AS params, COALESCE(s.page_size, 200) AS page_size, COALESCE(s.max_in_flight, 1000) AS max_in_flight
         FROM bulk_runs r LEFT JOIN bulk_settings s ON s.sync_id = r.sync_id WHERE r.id = $1`,
      [id],
    );
    if (!r) return null;
    return {
      id: r.id, tenantId: r.tenant_id, syncId: r.sync_id, syncVersion: r.sync_version, mode: r.mode, auditId: r.audit_id, state: r.state,
      cursor: r.cursor, watermark: r.watermark, published: r.published, processed: Number(r.processed), traceId: r.trace_id,
      listOperation: r.list_operation, params: r.params, pageSize: r.page_size, maxInFlight: r.max_in_flight,
    };
  }

  /** Run ids the scheduler still owes work (BULK_RUN_OPEN_STATES: queued, running, draining, cancelling), oldest first. */
  async open(): Promise<string[]> {
    const { rows } = await this.db.query(`SELECT id FROM bulk_runs WHERE state = ANY($1::text[]) ORDER BY created_at LIMIT 100`, [[...BULK_RUN_OPEN_STATES]]);
    return rows.map((r) => r.id as string);
  }

  /** Moves the run to `to` if the table allows it from its current state; false when it does not. */
  async move(id: string, to: BulkRunStateName, set: { startedBy?: string; traceId?: string; watermark?: Date | null; ended?: boolean } = {}): Promise<boolean> {
    const { rows } = await this.db.query(
      `UPDATE bulk_runs SET state = $2, updated_at = now(),
              started_at = CASE WHEN $4::text IS NOT NULL AND started_at IS NULL THEN now() ELSE started_at END,
              leader = COALESCE($4, leader), trace_id = COALESCE(trace_id, $5), watermark = CASE WHEN $6 THEN $7::timestamptz ELSE watermark END,
              ended_at = CASE WHEN $8 THEN now() ELSE ended_at END
        WHERE id = $1 AND state = ANY($3::text[]) RETURNING id`,
      [id, to, bulkRunStatesBefore(to), set.startedBy ?? null, set.traceId ?? null, set.watermark !== undefined, set.watermark ?? null, set.ended ?? false],
    );
    return rows.length === 1;
  }

  /** After a page is published: where the next page starts, and the counts. Only while running. */
  async checkpoint(id: string, cursor: string | null, records: number, total: number | null, pageTraceId: string | null): Promise<boolean> {
    const { rows } = await this.db.query(
      `UPDATE bulk_runs SET cursor = $2, pages = pages + 1, records = records + $3, published = published + $3, total = COALESCE($4, total),
              page_trace_ids = CASE WHEN $5::text IS NULL THEN page_trace_ids
                ELSE (SELECT COALESCE(jsonb_agg(t), '[]') FROM (SELECT t FROM jsonb_array_elements(page_trace_ids || jsonb_build_array($5::text)) t OFFSET GREATEST(jsonb_array_length(page_trace_ids) + 1 - ${MAX_PAGE_TRACES}, 0)) x) END,
              updated_at = now()
        WHERE id = $1 AND state = 'running' RETURNING id`,
      [id, cursor, records, total, pageTraceId],
    );
    return rows.length === 1;
  }

  async error(id: string, message: string): Promise<void> {
    await this.db.query(
      `UPDATE bulk_runs SET errors = (SELECT COALESCE(jsonb_agg(e), '[]') FROM (SELECT e FROM jsonb_array_elements(errors || jsonb_build_array(jsonb_build_object('at', now(), 'message', $2::text))) e
              OFFSET GREATEST(jsonb_array_length(errors) + 1 - ${MAX_ERRORS}, 0)) x), updated_at = now() WHERE id = $1`,
      [id, message.slice(0, 2000)],
    );
  }

  /** Start of the sync's last successful run: an incremental run reads what changed since. */
  async lastSuccessStart(syncId: string): Promise<Date | null> {
    const { rows: [r] } = await this.db.query(`SELECT max(started_at) AS at FROM bulk_runs WHERE sync_id = $1 AND state = 'succeeded' AND mode IN ('full', 'incremental')`, [syncId]);
    return r?.at ?? null;
  }

  /** published − processed: events of this run still in the queues. */
  async inFlight(id: string): Promise<{ state: BulkRunStateName; inFlight: number } | null> {
    const { rows: [r] } = await this.db.query(
      `SELECT state, published - (delivered + unchanged + filtered + failed) AS in_flight FROM bulk_runs WHERE id = $1`,
      [id],
    );
    return r ? { state: r.state, inFlight: Number(r.in_flight) } : null;
  }
}
