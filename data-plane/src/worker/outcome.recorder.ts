import { TriggerKind, type DeliveryOutcomeName, type HubEvent } from '@datahub/proto';
import { Batcher } from '../store/batcher';
import type { Database } from '../store/db.pool';
import type { UsageMeter, UsageSample } from './usage.meter';

export interface AttemptRecord {
  outcome: DeliveryOutcomeName;
  status: number | null;
  durationMs: number;
  error: string | null;
  traceId: string | null;
  /** Host of the target that decided the outcome. */
  target: string | null;
  /** The start of the response that decided it (bounded, redacted). */
  responseExcerpt?: string | null;
  /** When the next attempt is due (retrying). */
  nextRetryAtMs?: number | null;
}

/** The delivery log's view of the event (delivery_events), bounded and redacted by the caller. */
export interface EventLogWrite {
  entityKey: string | null;
  recordExcerpt: string | null;
  payloadExcerpt: string | null;
}

/** What else one settled event writes in the same statement as its attempt row. */
export interface SettleWrites {
  /** Change detection: the payload just delivered for this entity. */
  fingerprint?: { entityKey: string; hash: string };
  /** The entity lease this worker holds, given back. */
  releaseKey?: string;
  /** The event's row in the delivery log (with an attempt only). */
  log?: EventLogWrite;
  /** Counted (in memory, flushed later) once the attempt row is stored. */
  usage?: UsageSample;
}

interface Pending {
  event: HubEvent;
  /** null: nothing to record (a parked event), only the writes. */
  attempt: AttemptRecord | null;
  writes: SettleWrites;
}

type Logged = Pending & { attempt: AttemptRecord };

const ATTEMPT_COLUMNS = `event_id, tenant_id, sync_id, sync_version, attempt, outcome, entity_id, target_status, duration_ms, error, trace_id, target, replay, response_excerpt, next_retry_at`;
const EVENT_COLUMNS = `event_id, tenant_id, project_id, sync_id, sync_version, entity_key, trigger, method, received_at, state, attempt, replay, record_excerpt, payload_excerpt, trace_id`;

/**
 * Writes what happened to each event. Attempts of many events go out together: one statement per
 * batch inserts the attempt rows, updates the events' delivery-log rows, writes fingerprints and
 * releases entity leases, atomically; each caller's promise settles when its row is stored, so a
 * message is still acknowledged only after its outcome is in PostgreSQL. Usage is counted then.
 */
export class OutcomeRecorder {
  private readonly batch: Batcher<Pending, void>;

  constructor(private readonly db: Database, private readonly holder: string, private readonly usage?: UsageMeter) {
    this.batch = new Batcher<Pending, void>(async (items) => {
      await insertBatch(this.db, items, this.holder, 'outcomes-insert');
      return items.map(() => undefined);
    });
  }

  async record(event: HubEvent, attempt: AttemptRecord | null, writes: SettleWrites = {}): Promise<void> {
    if (!attempt && !writes.fingerprint && writes.releaseKey === undefined) return;
    await this.batch.add({ event, attempt, writes });
    if (writes.usage) this.usage?.add(writes.usage);
  }

  /** Attempt row, dead letter and lease release in one transaction; the dead letter keeps the event for replay. */
  async deadLetter(event: HubEvent, a: AttemptRecord & { response: string | null }, eventBytes: Buffer, writes: SettleWrites = {}): Promise<void> {
    await this.db.tx(async (client) => {
      await client.query(
        `INSERT INTO dead_letters (event_id, tenant_id, sync_id, sync_version, reason, attempts, last_status, last_response, trace_id, event)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (event_id) DO UPDATE SET sync_version = EXCLUDED.sync_version, reason = EXCLUDED.reason, attempts = EXCLUDED.attempts,
           last_status = EXCLUDED.last_status, last_response = EXCLUDED.last_response, trace_id = EXCLUDED.trace_id, event = EXCLUDED.event,
           created_at = now(), replayed_at = NULL, replayed_version = NULL
         -- A redelivered message finds its own row and changes nothing; a replayed event that failed again is a dead letter again.
         WHERE dead_letters.replayed_at IS NOT NULL`,
        [event.eventId, event.tenantId, event.syncId, event.syncVersion, a.error ?? 'unknown', event.attempt, a.status, a.response, a.traceId, eventBytes],
      );
      await insertBatch(client, [{ event, attempt: a, writes }], this.holder);
    });
    if (writes.usage) this.usage?.add(writes.usage);
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}

const triggerName = (t: TriggerKind) => (t === TriggerKind.PUSH ? 'push' : 'notify');
const iso = (ms: number | bigint | null | undefined) => (ms ? new Date(Number(ms)).toISOString() : null);

/** One statement: attempt rows (a redelivered message overwrites its own row), delivery-log rows, fingerprints, lease releases. */
async function insertBatch(db: { query(sql: string, params: unknown[], name?: string): Promise<unknown> }, batch: Pending[], holder: string, name?: string): Promise<void> {
  // The last write per key wins; ON CONFLICT cannot touch one row twice in a statement.
  const attempts = new Map(batch.filter((p) => p.attempt).map((p) => [`${p.event.eventId}/${p.event.replay}/${p.event.attempt}`, p]));
  const events = new Map(batch.filter((p) => p.attempt && p.writes.log).map((p) => [p.event.eventId, p]));
  const prints = new Map(batch.filter((p) => p.writes.fingerprint).map((p) => [`${p.event.syncId}/${p.writes.fingerprint!.entityKey}`, p]));
  const releases = batch.filter((p) => p.writes.releaseKey !== undefined);
  const a = [...attempts.values()] as Logged[];
  const e = [...events.values()] as (Logged & { writes: { log: EventLogWrite } })[];
  const f = [...prints.values()];
  await db.query(
    `WITH attempts AS (
       INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS})
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::text[], $7::text[], $8::int[], $9::int[], $10::text[], $11::text[], $12::text[], $13::int[], $14::text[], $15::timestamptz[])
       ON CONFLICT (event_id, replay, attempt) DO UPDATE SET outcome = EXCLUDED.outcome, target_status = EXCLUDED.target_status,
         duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error, trace_id = EXCLUDED.trace_id, target = EXCLUDED.target,
         response_excerpt = EXCLUDED.response_excerpt, next_retry_at = EXCLUDED.next_retry_at, created_at = now()
       RETURNING 1),
     events AS (
       INSERT INTO delivery_events (${EVENT_COLUMNS})
       SELECT * FROM unnest($16::uuid[], $17::uuid[], $18::uuid[], $19::uuid[], $20::int[], $21::text[], $22::text[], $23::text[], $24::timestamptz[], $25::text[], $26::int[], $27::int[], $28::text[], $29::text[], $30::text[])
       ON CONFLICT (event_id) DO UPDATE SET sync_version = EXCLUDED.sync_version, state = EXCLUDED.state, attempt = EXCLUDED.attempt,
         replay = EXCLUDED.replay, entity_key = COALESCE(EXCLUDED.entity_key, delivery_events.entity_key),
         record_excerpt = COALESCE(EXCLUDED.record_excerpt, delivery_events.record_excerpt),
         payload_excerpt = COALESCE(EXCLUDED.payload_excerpt, delivery_events.payload_excerpt), trace_id = EXCLUDED.trace_id, updated_at = now()
       -- A redelivered older attempt does not take the state back.
       WHERE (EXCLUDED.replay, EXCLUDED.attempt) >= (delivery_events.replay, delivery_events.attempt)
       RETURNING 1),
     prints AS (
       INSERT INTO delivery_fingerprints (sync_id, entity_key, sync_version, hash, received_at_ms)
       SELECT * FROM unnest($31::uuid[], $32::text[], $33::int[], $34::text[], $35::bigint[])
       ON CONFLICT (sync_id, entity_key) DO UPDATE SET sync_version = EXCLUDED.sync_version, hash = EXCLUDED.hash,
         received_at_ms = GREATEST(delivery_fingerprints.received_at_ms, EXCLUDED.received_at_ms), delivered_at = now()
       RETURNING 1),
     released AS (
       DELETE FROM entity_leases l USING unnest($36::uuid[], $37::text[]) AS r(sync_id, entity_key)
        WHERE l.sync_id = r.sync_id AND l.entity_key = r.entity_key AND l.holder = $38
       RETURNING 1)
     SELECT (SELECT count(*) FROM attempts) + (SELECT count(*) FROM events) + (SELECT count(*) FROM prints) + (SELECT count(*) FROM released) AS n`,
    [
      a.map((p) => p.event.eventId), a.map((p) => p.event.tenantId), a.map((p) => p.event.syncId), a.map((p) => p.event.syncVersion),
      a.map((p) => p.event.attempt), a.map((p) => p.attempt.outcome), a.map((p) => p.event.entityId || p.writes.releaseKey || null), a.map((p) => p.attempt.status),
      a.map((p) => p.attempt.durationMs), a.map((p) => p.attempt.error), a.map((p) => p.attempt.traceId), a.map((p) => p.attempt.target),
      a.map((p) => p.event.replay), a.map((p) => p.attempt.responseExcerpt ?? null), a.map((p) => iso(p.attempt.nextRetryAtMs)),
      e.map((p) => p.event.eventId), e.map((p) => p.event.tenantId), e.map((p) => p.event.projectId), e.map((p) => p.event.syncId),
      e.map((p) => p.event.syncVersion), e.map((p) => p.writes.log.entityKey), e.map((p) => triggerName(p.event.trigger)),
      e.map((p) => p.event.method || null), e.map((p) => iso(p.event.receivedAtMs) ?? new Date().toISOString()), e.map((p) => p.attempt.outcome),
      e.map((p) => p.event.attempt), e.map((p) => p.event.replay), e.map((p) => p.writes.log.recordExcerpt), e.map((p) => p.writes.log.payloadExcerpt),
      e.map((p) => p.attempt.traceId),
      f.map((p) => p.event.syncId), f.map((p) => p.writes.fingerprint!.entityKey), f.map((p) => p.event.syncVersion),
      f.map((p) => p.writes.fingerprint!.hash), f.map((p) => String(p.event.receivedAtMs)),
      releases.map((p) => p.event.syncId), releases.map((p) => p.writes.releaseKey!), holder,
    ],
    ...(name ? [name] : []),
  );
}
