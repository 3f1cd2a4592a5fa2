import { Client } from 'pg';
import { logger } from '../logger';

/** The advisory lock key of the scheduler's leadership (any fixed bigint; the migrations use 7_340_001). */
export const SCHEDULER_LOCK_KEY = 7_340_026;

export interface Leadership {
  /** Aborted when the lock connection is lost: the leader must stop at once (another may take over). */
  signal: AbortSignal;
}

/**
 * One leader at a time: the scheduler that holds a PostgreSQL session advisory lock, on a
 * connection of its own that does nothing else. The lock lives exactly as long as that connection:
 * when the leader dies (or its connection does), PostgreSQL drops it and a stand-by's next try wins.
 * `run` calls `lead` for every term of leadership and tries again after losing it.
 */
export class LeaderLock {
  private stopped = false;
  private client: Client | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly url: string, private readonly retryMs: number, private readonly key = SCHEDULER_LOCK_KEY) {}

  async run(lead: (l: Leadership) => Promise<void>): Promise<void> {
    while (!this.stopped) {
      const leadership = await this.acquire().catch((err) => {
        logger.warn({ err: String(err) }, 'scheduler: could not reach PostgreSQL for the leader lock');
        return null;
      });
      if (leadership) {
        logger.info({ operationalEvent: 'scheduler_leader' }, 'scheduler: became the leader');
        await lead(leadership).catch((err) => logger.error({ err: String(err) }, 'scheduler: leader loop failed'));
        await this.release();
        if (!this.stopped) logger.warn({ operationalEvent: 'scheduler_leadership_lost' }, 'scheduler: no longer the leader');
      }
      if (!this.stopped) await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, this.retryMs).unref();
      });
    }
  }

  /** Stops trying; the current term (if any) ends with its lead function. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.release();
  }

  private async acquire(): Promise<Leadership | null> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, keepAlive: true });
    const controller = new AbortController();
    const lost = (why: string) => {
      if (!controller.signal.aborted) controller.abort(new Error(why));
    };
    client.on('error', (err) => lost(`leader lock connection failed: ${err.message}`));
    client.on('end', () => lost('leader lock connection closed'));
    await client.connect();
    const { rows: [row] } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [this.key]);
    if (!row.locked) {
      await client.end().catch(() => undefined);
      return null;
    }
    this.client = client;
    // A connection that dies silently (network cut) is found by this probe within the retry period.
    const probe = setInterval(() => {
      client.query('SELECT 1').catch((err: Error) => lost(`leader lock probe failed: ${err.message}`));
    }, this.retryMs);
    probe.unref();
    controller.signal.addEventListener('abort', () => clearInterval(probe));
    return { signal: controller.signal };
  }

  private async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    // Closing the session releases the lock; no unlock call needed (or possible on a dead link).
    if (client) await client.end().catch(() => undefined);
  }
}
