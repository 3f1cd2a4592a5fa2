import { nextCronTime, parseCron } from '@datahub/connectors';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';
import { executeAudit, type AuditDeps } from './audit.runner';
import { executeRun, sleep, type BulkRunnerDeps } from './bulk.runner';
import type { Leadership } from './leader.lock';

export interface SchedulerDeps extends BulkRunnerDeps, AuditDeps {
  db: Database;
  tickMs: number;
  /** Runs and audits executed at once by the leader. */
  maxConcurrent: number;
}

const OPEN_RUN = `('queued', 'running', 'draining', 'cancelling')`;

/**
 * One term of leadership: every tick, queue the runs and audits whose cron time has come, then
 * execute open runs and audits (resuming those a previous leader left at their checkpoint). Ends
 * when leadership is lost, after the executions noticed it.
 */
export async function lead(l: Leadership, deps: SchedulerDeps): Promise<void> {
  const active = new Map<string, Promise<void>>();
  const start = (key: string, work: () => Promise<void>) => {
    if (active.has(key) || active.size >= deps.maxConcurrent) return;
    const p = work().catch((err) => logger.error({ err: String(err), key }, 'scheduler: execution failed')).finally(() => active.delete(key));
    active.set(key, p);
  };
  while (!l.signal.aborted) {
    try {
      await queueDueRuns(deps.db);
      await queueDueAudits(deps.db);
      for (const id of await deps.runs.open()) start(`run:${id}`, () => executeRun(id, l.signal, deps));
      const { rows } = await deps.db.query(`SELECT id FROM accuracy_audits WHERE state IN ('queued', 'running') ORDER BY created_at LIMIT 20`);
      for (const { id } of rows) start(`audit:${id}`, () => executeAudit(id as string, l.signal, deps));
    } catch (err) {
      logger.warn({ err: String(err) }, 'scheduler: tick failed; trying again');
    }
    await sleep(deps.tickMs, l.signal);
  }
  await Promise.allSettled([...active.values()]);
}

/** Bulk schedules whose time has come: one queued run per sync (none while one is open), next time from the cron. */
async function queueDueRuns(db: Database): Promise<void> {
  const { rows } = await db.query(`SELECT sync_id, schedule, schedule_mode FROM bulk_settings WHERE schedule IS NOT NULL AND next_run_at <= now()`);
  for (const r of rows) {
    await db.query(
      `INSERT INTO bulk_runs (tenant_id, sync_id, sync_version, mode, trigger, state)
       SELECT s.tenant_id, s.id, s.active_version, $2, 'schedule', 'queued' FROM syncs s
        WHERE s.id = $1 AND s.active_version IS NOT NULL AND s.paused_at IS NULL AND s.archived_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM bulk_runs b WHERE b.sync_id = s.id AND b.state IN ${OPEN_RUN})
       ON CONFLICT DO NOTHING`,
      [r.sync_id, r.schedule_mode],
    );
    await db.query('UPDATE bulk_settings SET next_run_at = $2 WHERE sync_id = $1', [r.sync_id, nextTime(r.schedule)]);
  }
}

async function queueDueAudits(db: Database): Promise<void> {
  const { rows } = await db.query(`SELECT sync_id, audit_schedule, audit_sample_size FROM bulk_settings WHERE audit_schedule IS NOT NULL AND next_audit_at <= now()`);
  for (const r of rows) {
    await db.query(
      `INSERT INTO accuracy_audits (tenant_id, sync_id, trigger, state, sample_size)
       SELECT s.tenant_id, s.id, 'schedule', 'queued', $2 FROM syncs s
        WHERE s.id = $1 AND s.active_version IS NOT NULL AND s.archived_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM accuracy_audits a WHERE a.sync_id = s.id AND a.state IN ('queued', 'running'))`,
      [r.sync_id, r.audit_sample_size],
    );
    await db.query('UPDATE bulk_settings SET next_audit_at = $2 WHERE sync_id = $1', [r.sync_id, nextTime(r.audit_schedule)]);
  }
}

function nextTime(schedule: string): Date | null {
  const parsed = parseCron(schedule);
  return parsed.ok ? nextCronTime(parsed.cron, new Date()) : null;
}
