import { Pool, type PoolClient } from 'pg';
import { logger } from '../logger';

/** SQLSTATE classes and socket errors that mean "the database is away", not "the query is wrong". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '40001', '40P01',
]);

export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (e?.code && TRANSIENT_CODES.has(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(e?.message ?? '');
}

/**
 * The process's PostgreSQL pool, made to ride out a restart or failover: an idle client's error
 * is logged instead of killing the process, and `up` says whether the last contact worked, so
 * readiness can report it. A probe runs while it is down.
 */
export class Database {
  readonly pool: Pool;
  private downSince: number | null = null;
  private probe: NodeJS.Timeout | null = null;

  constructor(url: string, max: number, private readonly probeEveryMs = 500) {
    this.pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', (err) => {
      logger.warn({ err: String(err) }, 'idle database connection lost');
      this.failed(err);
    });
  }

  get up(): boolean {
    return this.downSince === null;
  }

  /** `name` makes it a prepared statement (parsed and planned once per connection): for hot, fixed SQL. */
  query<R extends Record<string, any> = Record<string, any>>(sql: string, params?: unknown[], name?: string): Promise<{ rows: R[] }> {
    return this.pool.query(name ? { name, text: sql, values: params } : { text: sql, values: params }).then((r) => {
      this.ok();
      return r as unknown as { rows: R[] };
    }, (err) => {
      this.failed(err);
      throw err;
    });
  }

  /** `fn` in one transaction on one connection. */
  async tx<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.failed(err);
      throw err;
    }
    client.on('error', (err) => this.failed(err));
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      this.ok();
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.failed(e);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Runs `fn` until it succeeds while the database is merely away (transient errors), waiting with
   * growing pauses; other errors and `stopped()` end it. What the worker does with work it must
   * not lose: it keeps the message and tries again rather than redelivering it.
   */
  async untilUp<T>(fn: () => Promise<T>, stopped: () => boolean = () => false): Promise<T> {
    let pauseMs = 100;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!isTransientDbError(err) || stopped()) throw err;
        await new Promise((r) => setTimeout(r, pauseMs));
        pauseMs = Math.min(pauseMs * 2, 2_000);
      }
    }
  }

  async end(): Promise<void> {
    if (this.probe) clearInterval(this.probe);
    await this.pool.end().catch(() => undefined);
  }

  private ok(): void {
    if (this.downSince === null) return;
    logger.info({ downMs: Date.now() - this.downSince }, 'database reachable again');
    this.downSince = null;
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  private failed(err: unknown): void {
    if (!isTransientDbError(err) || this.downSince !== null) return;
    this.downSince = Date.now();
    logger.warn({ err: String(err) }, 'database unreachable; not ready until it answers');
    this.probe = setInterval(() => void this.query('SELECT 1').catch(() => undefined), this.probeEveryMs);
    this.probe.unref();
  }
}
