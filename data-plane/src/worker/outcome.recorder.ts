import type { HubEvent } from '@datahub/proto';
import type { Pool, PoolClient } from 'pg';

export type RecordedOutcome = 'delivered' | 'retrying' | 'dead_lettered' | 'filtered';

export interface AttemptRecord {
  outcome: RecordedOutcome;
  status: number | null;
  durationMs: number;
  error: string | null;
  traceId: string | null;
}

/** Writes every attempt (and dead letters) to PostgreSQL; a redelivered message overwrites its own row. */
/** One row per (event, attempt); a redelivered message overwrites its own row. */
function insertAttempt(db: Pick<Pool, 'query'> | PoolClient, event: HubEvent, a: AttemptRecord) {
  return db.query(
    `INSERT INTO delivery_attempts (event_id, tenant_id, sync_id, sync_version, attempt, outcome, entity_id, target_status, duration_ms, error, trace_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (event_id, attempt) DO UPDATE SET outcome = EXCLUDED.outcome, target_status = EXCLUDED.target_status,
       duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error, trace_id = EXCLUDED.trace_id, created_at = now()`,
    [event.eventId, event.tenantId, event.syncId, event.syncVersion, event.attempt, a.outcome, event.entityId || null, a.status, a.durationMs, a.error, a.traceId],
  );
}

export class OutcomeRecorder {
  constructor(private readonly pool: Pool) {}

  async attempt(event: HubEvent, a: AttemptRecord): Promise<void> {
    await insertAttempt(this.pool, event, a);
  }

  /** Attempt row and dead letter in one transaction; the dead letter keeps the event for replay. */
  async deadLetter(event: HubEvent, a: AttemptRecord & { response: string | null }, eventBytes: Buffer): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO dead_letters (event_id, tenant_id, sync_id, sync_version, reason, attempts, last_status, last_response, trace_id, event)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
        [event.eventId, event.tenantId, event.syncId, event.syncVersion, a.error ?? 'unknown', event.attempt, a.status, a.response, a.traceId, eventBytes],
      );
      await insertAttempt(client, event, a);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}
