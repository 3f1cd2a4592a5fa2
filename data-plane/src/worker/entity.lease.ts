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
 * - Across processes: a lease row, taken with the fingerprint read (one round trip) and given back
 *   in the outcome recorder's batch. A lease of a crashed worker expires after `leaseMs`.
 */
export class EntityLeases {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly db: Database, private readonly holder: string, private readonly leaseMs: number, private readonly pollMaxMs = 500) {}

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
  async acquire(syncId: string, key: string, stopped: () => boolean): Promise<Fingerprint | null> {
    let pauseMs = 10;
    const giveUpAt = Date.now() + this.leaseMs + 1_000;
    for (;;) {
      const { rows: [row] } = await this.db.query(
        `WITH lease AS (
           INSERT INTO entity_leases (sync_id, entity_key, holder, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
           ON CONFLICT (sync_id, entity_key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
             WHERE entity_leases.expires_at < now() OR entity_leases.holder = EXCLUDED.holder
           RETURNING 1)
         SELECT EXISTS (SELECT 1 FROM lease) AS leased, f.hash, f.sync_version, f.received_at_ms
           FROM (SELECT 1) one LEFT JOIN delivery_fingerprints f ON f.sync_id = $1 AND f.entity_key = $2`,
        [syncId, key, this.holder, this.leaseMs],
      );
      if (row!.leased) return row!.hash ? { hash: row!.hash, syncVersion: row!.sync_version, receivedAtMs: Number(row!.received_at_ms) } : null;
      if (Date.now() > giveUpAt || stopped()) throw new Error(`entity ${key} of sync ${syncId} is still being delivered by another worker`);
      await new Promise((r) => setTimeout(r, pauseMs));
      pauseMs = Math.min(pauseMs * 2, this.pollMaxMs);
    }
  }
}
