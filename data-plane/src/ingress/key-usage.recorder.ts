import type { Pool } from 'pg';
import { logger } from '../logger';

/** Batches inbound keys' last_used_at so the webhook path never waits on it (one UPDATE per interval). */
export class KeyUsageRecorder {
  private pending = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pool: Pool, intervalMs = 5_000) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  used(keyId: string): void {
    this.pending.add(keyId);
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const ids = [...this.pending];
    this.pending = new Set();
    await this.pool
      .query('UPDATE inbound_keys SET last_used_at = now() WHERE id = ANY($1::uuid[])', [ids])
      .catch((err) => logger.warn({ err: String(err) }, 'could not record inbound key usage'));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
