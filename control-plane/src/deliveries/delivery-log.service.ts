import { In } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../common/relay';
import type { TenantScope } from '../common/tenant.scope';
import { DeliveryAttemptEntity } from '../db/base.entities';
import { DeliveryLogEntry, type DeliveryEventRow, type DeliveryLogArgs } from './delivery-log.types';
import { DeliveryAttempt } from './delivery.types';

/**
 * The delivery log: one entry per event (delivery_events), newest first, searchable tenant-wide or
 * per sync by entity key, state and time; keyset-paged on (received_at, event_id), so cursors stay
 * valid while new events arrive. A page's attempts come in one more query.
 */
export class DeliveryLogService {
  async search(scope: TenantScope, args: DeliveryLogArgs & { rawSyncId?: string }): Promise<Page<DeliveryLogEntry>> {
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after);
    const where = ['e.tenant_id = $1'];
    const params: unknown[] = [scope.tenantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (args.rawSyncId) add('e.sync_id = ?', args.rawSyncId);
    if (args.entityKey) add('e.entity_key = ?', args.entityKey);
    if (args.state) add('e.state = ?', args.state);
    if (args.from) add('e.received_at >= ?', args.from);
    if (args.to) add('e.received_at < ?', args.to);
    const filter = where.join(' AND ');
    const filterParams = [...params];
    if (after) {
      params.push(after.createdAt, after.id);
      where.push(`(e.received_at, e.event_id) < ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await scope.ds.query(
      `SELECT e.* FROM delivery_events e WHERE ${where.join(' AND ')} ORDER BY e.received_at DESC, e.event_id DESC LIMIT $${params.length}`, params,
    ) as DeliveryEventRow[];
    const page = rows.slice(0, limit);
    const attempts = page.length
      ? await scope.repo(DeliveryAttemptEntity).find({ where: scope.where<DeliveryAttemptEntity>({ eventId: In(page.map((r) => r.event_id)) }), order: { replay: 'ASC', attempt: 'ASC' } })
      : [];
    const edges = page.map((r) => ({
      cursor: encodeCursor({ createdAt: r.received_at, id: r.event_id }),
      node: DeliveryLogEntry.from(r, attempts.filter((a) => a.eventId === r.event_id).map(DeliveryAttempt.from)),
    }));
    return {
      edges,
      totalCount: async () => Number(((await scope.ds.query(`SELECT count(*) AS n FROM delivery_events e WHERE ${filter}`, filterParams)) as { n: string }[])[0]!.n),
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
