import { LATENCY_BUCKETS_MS, USAGE_COUNTERS, type LatencyKindName, type UsageCounterName } from '@datahub/proto';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';

/** What one settled attempt adds to the usage of its (tenant, project, sync, target). */
export interface UsageSample {
  tenantId: string;
  projectId: string;
  syncId: string;
  /** Host of the sync's target ('' when the event has no plan). */
  target: string;
  counts: Partial<Record<UsageCounterName, number>>;
  latencyMs?: Partial<Record<LatencyKindName, number>>;
}

const HOUR_MS = 3_600_000;

interface Row {
  key: string[];
  counts: number[];
}

/** Index of the histogram bucket a latency falls in (the last one: above every bound). */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
  return i === -1 ? -1 : LATENCY_BUCKETS_MS[i]!;
}

/**
 * Usage counters and latency histograms, added up in memory and written every `flushMs` as one
 * statement (`n = n + excluded.n`), never a row per event. A flush that fails (database away)
 * keeps its counts for the next one; a crash loses what was counted since the last flush (at
 * most `flushMs` of traffic). The recorder counts an attempt only once its row is stored.
 */
export class UsageMeter {
  private counters = new Map<string, Row>();
  private latencies = new Map<string, { key: string[]; kind: LatencyKindName; le: number; n: number }>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Pick<Database, 'query'>, flushMs: number, private readonly onFlushed?: (tenantIds: string[]) => Promise<void>) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  add(s: UsageSample, atMs = Date.now()): void {
    const hourMs = Math.floor(atMs / HOUR_MS) * HOUR_MS;
    const id = `${s.tenantId}|${s.projectId}|${s.syncId}|${s.target}|${hourMs}`;
    let row = this.counters.get(id);
    if (!row) this.counters.set(id, (row = { key: [s.tenantId, s.projectId, s.syncId, s.target, new Date(hourMs).toISOString()], counts: USAGE_COUNTERS.map(() => 0) }));
    for (let i = 0; i < USAGE_COUNTERS.length; i++) row.counts[i]! += s.counts[USAGE_COUNTERS[i]!] ?? 0;
    const latency = s.latencyMs;
    if (!latency) return;
    for (const kind in latency) {
      const ms = latency[kind as LatencyKindName];
      if (ms === undefined) continue;
      const le = latencyBucket(ms);
      const lid = `${id}|${kind}|${le}`;
      const l = this.latencies.get(lid);
      if (l) l.n++;
      else this.latencies.set(lid, { key: row.key, kind: kind as LatencyKindName, le, n: 1 });
    }
  }

  /** Writes what was counted; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    const counters = this.counters;
    const latencies = this.latencies;
    if (!counters.size && !latencies.size) return;
    this.counters = new Map();
    this.latencies = new Map();
    // Sorted, so concurrent flushes of several workers lock rows in the same order (no deadlock).
    const c = [...counters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
    const l = [...latencies.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
    const col = (rows: { key: string[] }[], i: number) => rows.map((r) => r.key[i]);
    try {
      await this.db.query(
        `WITH c AS (
           INSERT INTO usage_hourly (tenant_id, project_id, sync_id, target, hour, ${USAGE_COUNTERS.join(', ')})
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], ${USAGE_COUNTERS.map((_, i) => `$${6 + i}::bigint[]`).join(', ')})
           ON CONFLICT (tenant_id, project_id, sync_id, target, hour) DO UPDATE SET
             ${USAGE_COUNTERS.map((n) => `${n} = usage_hourly.${n} + excluded.${n}`).join(', ')}
           RETURNING 1),
         l AS (
           INSERT INTO usage_latency_hourly (tenant_id, project_id, sync_id, target, hour, kind, le_ms, n)
           SELECT * FROM unnest($13::uuid[], $14::uuid[], $15::uuid[], $16::text[], $17::timestamptz[], $18::text[], $19::bigint[], $20::bigint[])
           ON CONFLICT (tenant_id, project_id, sync_id, target, hour, kind, le_ms) DO UPDATE SET n = usage_latency_hourly.n + excluded.n
           RETURNING 1)
         SELECT (SELECT count(*) FROM c) + (SELECT count(*) FROM l) AS n`,
        [
          ...[0, 1, 2, 3, 4].map((i) => col(c, i)), ...USAGE_COUNTERS.map((_, i) => c.map((r) => r.counts[i])),
          ...[0, 1, 2, 3, 4].map((i) => col(l, i)), l.map((r) => r.kind), l.map((r) => r.le), l.map((r) => r.n),
        ],
        'usage-flush',
      );
    } catch (err) {
      // Kept for the next flush: the database being away loses nothing.
      for (const r of c) this.add(fromRow(r), Date.parse(r.key[4]!));
      for (const r of l) this.restoreLatency(r);
      logger.warn({ err: String(err) }, 'could not write usage counters; kept for the next flush');
      return;
    }
    if (this.onFlushed) await this.onFlushed([...new Set(c.map((r) => r.key[0]!))]).catch((err) => logger.warn({ err: String(err) }, 'quota check failed'));
  }

  private restoreLatency(r: { key: string[]; kind: LatencyKindName; le: number; n: number }): void {
    const lid = `${r.key.slice(0, 4).join('|')}|${Date.parse(r.key[4]!)}|${r.kind}|${r.le}`;
    const l = this.latencies.get(lid);
    if (l) l.n += r.n;
    else this.latencies.set(lid, { ...r });
  }
}

function fromRow(r: Row): UsageSample {
  const [tenantId, projectId, syncId, target] = r.key as [string, string, string, string];
  return { tenantId, projectId, syncId, target, counts: Object.fromEntries(USAGE_COUNTERS.map((n, i) => [n, r.counts[i]])) };
}
