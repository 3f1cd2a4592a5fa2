import { DEFAULT_LOG_RETENTION_DAYS } from '@datahub/proto';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';

/** Advisory lock key of the cleanup: one process deletes at a time, whichever gets it. */
const CLEANUP_LOCK = 7_340_025;

export interface RetentionOptions {
  everyMs: number;
  /** Rows per DELETE: small, so a big backlog never holds locks or bloats one transaction. */
  batch: number;
}

/**
 * Enforces each tenant's delivery-log retention (tenant_usage_settings.log_retention_days, default
 * DEFAULT_LOG_RETENTION_DAYS): deletes delivery_events and delivery_attempts older than it, in
 * small batches, each its own transaction under a Postgres advisory try-lock, so with several
 * workers one deletes and the others skip. Dead letters stay (they are replayable) and so do the
 * usage counters. Runs every `everyMs` in the worker; `runOnce` is what a scheduler would call.
 */
export class LogRetention {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly db: Database, private readonly opts: RetentionOptions) {
    this.timer = setInterval(() => void this.runOnce().catch((err) => logger.warn({ err: String(err) }, 'delivery log cleanup failed; next run retries')), opts.everyMs);
    this.timer.unref();
  }

  /** Deletes what is past retention; resolves with the number of rows deleted (0 when another process holds the lock). */
  runOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async sweep(): Promise<number> {
    const { rows: tenants } = await this.db.query<{ id: string; cutoff: Date }>(
      `SELECT t.id, now() - make_interval(days => COALESCE(s.log_retention_days, $1)) AS cutoff
         FROM tenants t LEFT JOIN tenant_usage_settings s ON s.tenant_id = t.id`,
      [DEFAULT_LOG_RETENTION_DAYS],
    );
    let deleted = 0;
    for (const t of tenants) {
      for (const sql of [
        `DELETE FROM delivery_events WHERE event_id IN (SELECT event_id FROM delivery_events WHERE tenant_id = $1 AND received_at < $2 LIMIT $3)`,
        `DELETE FROM delivery_attempts WHERE id IN (SELECT id FROM delivery_attempts WHERE tenant_id = $1 AND created_at < $2 LIMIT $3)`,
      ]) {
        for (;;) {
          if (this.stopped) return deleted;
          const n = await this.db.tx(async (client) => {
            const { rows: [lock] } = await client.query('SELECT pg_try_advisory_xact_lock($1) AS got', [CLEANUP_LOCK]);
            if (!lock.got) return -1;
            return (await client.query(sql, [t.id, t.cutoff, this.opts.batch])).rowCount ?? 0;
          });
          if (n === -1) return deleted;
          deleted += n;
          if (n < this.opts.batch) break;
        }
      }
    }
    if (deleted) logger.info({ deleted }, 'delivery log past retention deleted');
    return deleted;
  }
}
