import { Brackets, type FindOptionsWhere, type ObjectLiteral, type Repository } from 'typeorm';
import { ConnectionArgs, decodeCursor, encodeCursor, Page, pageSize } from './relay';

/** Keyset pagination on (created_at, id); newest first when `order` is DESC. An array `where` is an OR. */
export async function paginate<E extends ObjectLiteral & { createdAt: Date; id: string }, N>(
  repo: Repository<E>,
  where: FindOptionsWhere<E> | FindOptionsWhere<E>[],
  args: ConnectionArgs,
  toNode: (row: E) => N,
  order: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<N>> {
  const limit = pageSize(args.first);
  const after = decodeCursor(args.after);
  // Bracketed so that the keyset condition below applies to every branch of an OR.
  const qb = repo.createQueryBuilder('e').where(new Brackets((w) => void w.where(where)));
  if (after) {
    const op = order === 'ASC' ? '>' : '<';
    qb.andWhere(`(e.created_at, e.id) ${op} (:at, :id)`, { at: after.createdAt, id: after.id });
  }
  const rows = await qb.orderBy('e.created_at', order).addOrderBy('e.id', order).take(limit + 1).getMany();
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor({ createdAt: row.createdAt, id: String(row.id) }), node: toNode(row) }));
  return {
    edges,
    totalCount: () => repo.countBy(where),
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
