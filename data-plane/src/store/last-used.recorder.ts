import type { Database } from './db.pool';
import { logger } from '../logger';

/**
 * Batches `last_used_at` of inbound keys or credentials so the hot path never waits on it:
 * ids are collected in memory and written with one UPDATE per interval.
 */
export class LastUsedRecorder {
  private pending = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pool: Pick<Database, 'query'>, private readonly table: 'inbound_keys' | 'credentials', intervalMs = 5_000) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  used(id: string): void {
    this.pending.add(id);
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const ids = [...this.pending];
    this.pending = new Set();
    await this.pool
      .query(`UPDATE ${this.table} SET last_used_at = now() WHERE id = ANY($1::uuid[])`, [ids])
      .catch((err) => logger.warn({ err: String(err), table: this.table }, 'could not record last use'));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
