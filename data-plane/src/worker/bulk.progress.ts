import { Batcher } from '../store/batcher';
import type { Database } from '../store/db.pool';
import type { FinalOutcome } from './event.settle';

type Counted = Exclude<FinalOutcome, null>;

/**
 * Adds the final outcome of bulk-run events to their run's counts (bulk_runs.delivered, …), many
 * events per statement. The consumer waits for it before acknowledging, so a count is never lost
 * (a redelivered message may count twice: the scheduler treats processed ≥ published as done).
 */
export class BulkProgress {
  private readonly batch: Batcher<{ runId: string; outcome: Counted }, void>;

  constructor(db: Database) {
    this.batch = new Batcher<{ runId: string; outcome: Counted }, void>(async (items) => {
      const sums = new Map<string, Record<Counted, number>>();
      for (const { runId, outcome } of items) {
        const s = sums.get(runId) ?? { delivered: 0, unchanged: 0, filtered: 0, failed: 0 };
        s[outcome]++;
        sums.set(runId, s);
      }
      const runs = [...sums.keys()];
      const col = (k: Counted) => runs.map((r) => sums.get(r)![k]);
      await db.query(
        `UPDATE bulk_runs r SET delivered = r.delivered + u.d, unchanged = r.unchanged + u.un, filtered = r.filtered + u.f, failed = r.failed + u.x, updated_at = now()
           FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[]) AS u(id, d, un, f, x) WHERE r.id = u.id`,
        [runs, col('delivered'), col('unchanged'), col('filtered'), col('failed')],
      );
      return items.map((): void => undefined);
    }, 5, 500);
  }

  count(runId: string, outcome: FinalOutcome): Promise<void> {
    return outcome === null ? Promise.resolve() : this.batch.add({ runId, outcome });
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}
