import { Batcher } from '../store/batcher';
import type { Database } from '../store/db.pool';

/** What was last delivered for an entity (change detection), read together with the lease. */
export interface Fingerprint {
  hash: string;
  syncVersion: number;
  receivedAtMs: number;
}

/**
 * Deliveries of one (sync, entity key) never overlap, on one worker or across several, so two
 * events for a new record cannot both look it up and both create it.
 * - In this process: one chain per key; events run one after another in arrival order.
 * - Across processes: a lease row, taken with the fingerprint read and given back in the outcome
 *   recorder's statement; both are batched across events. A crashed holder's lease expires after
 *   its `leaseMs`.
 */
export class EntityLeases {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly batch = new Batcher<LeaseRequest, LeaseResult>((reqs) => this.acquireMany(reqs));

  constructor(private readonly db: Database, private readonly holder: string, private readonly pollMaxMs = 500) {}

  /** Runs `fn` after every earlier event of this key in this process has finished. */
  async serial<T>(syncId: string, key: string, fn: () => Promise<T>): Promise<T> {
    const k = `${syncId}\u0000${key}`;
    const previous = this.chains.get(k);
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous ? previous.then(() => mine) : mine;
    this.chains.set(k, tail);
    try {
      if (previous) await previous;
      return await fn();
    } finally {
      release();
      if (this.chains.get(k) === tail) this.chains.delete(k);
    }
  }

  /**
   * Takes the cross-process lease (waiting while another worker holds it, up to its expiry) and
   * returns the entity's fingerprint. Throws when the lease stays taken (the caller hands the
   * message back) and what the database throws.
   */
  async acquire(syncId: string, key: string, leaseMs: number, stopped: () => boolean): Promise<Fingerprint | null> {
    let pauseMs = 10;
    const giveUpAt = Date.now() + leaseMs + 1_000;
    for (;;) {
      const row = await this.batch.add({ syncId, key, leaseMs });
      if (row.leased) return row.fingerprint;
      if (Date.now() > giveUpAt || stopped()) throw new Error(`entity ${key} of sync ${syncId} is still being delivered by another worker`);
      await new Promise((r) => setTimeout(r, pauseMs));
      pauseMs = Math.min(pauseMs * 2, this.pollMaxMs);
    }
  }

  /** Many events' leases and fingerprints in one statement. */
  private async acquireMany(reqs: LeaseRequest[]): Promise<LeaseResult[]> {
    const { rows } = await this.db.query(
      `WITH req AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[]) WITH ORDINALITY AS r(sync_id, entity_key, lease_ms, n)),
       lease AS (
         INSERT INTO entity_leases (sync_id, entity_key, holder, expires_at)
         SELECT DISTINCT ON (sync_id, entity_key) sync_id, entity_key, $4, now() + lease_ms * interval '1 millisecond' FROM req
         ON CONFLICT (sync_id, entity_key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE entity_leases.expires_at < now() OR entity_leases.holder = EXCLUDED.holder
         RETURNING sync_id, entity_key)
       SELECT r.n, (l.sync_id IS NOT NULL) AS leased, f.hash, f.sync_version, f.received_at_ms
         FROM req r LEFT JOIN lease l USING (sync_id, entity_key) LEFT JOIN delivery_fingerprints f USING (sync_id, entity_key)
        ORDER BY r.n`,
      [reqs.map((r) => r.syncId), reqs.map((r) => r.key), reqs.map((r) => r.leaseMs), this.holder],
      'entity-leases-acquire',
    );
    return rows.map((row) => ({
      leased: row.leased,
      fingerprint: row.hash ? { hash: row.hash, syncVersion: row.sync_version, receivedAtMs: Number(row.received_at_ms) } : null,
    }));
  }
}

interface LeaseRequest {
  syncId: string;
  key: string;
  leaseMs: number;
}

interface LeaseResult {
  leased: boolean;
  fingerprint: Fingerprint | null;
}
