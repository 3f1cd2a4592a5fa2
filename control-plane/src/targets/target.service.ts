import { In } from 'typeorm';
import { NotFound } from '../common/errors';
import { decodeTextCursor, encodeTextCursor, pageSize, type Page } from '../common/relay';
import type { TenantScope } from '../common/tenant.scope';
import { TargetCircuitEntity, TargetRateBucketEntity } from '../db/base.entities';
import { Target, type TargetsArgs } from './target.types';

/**
 * Read side of the data plane's per-target state. A target (host + credential) is a row of
 * target_circuits, of target_rate_buckets, or of both, under the same key; listed by host.
 */
export class TargetService {
  async list(scope: TenantScope, args: TargetsArgs): Promise<Page<Target>> {
    const limit = pageSize(args.first);
    const after = decodeTextCursor(args.after, 2);
    const keysOf = (entity: typeof TargetCircuitEntity | typeof TargetRateBucketEntity, alias: string) => {
      const qb = scope.rows<TargetCircuitEntity | TargetRateBucketEntity>(entity, alias).select(`${alias}.target`, 'target').addSelect(`${alias}.host`, 'host');
      if (args.host) qb.andWhere(`lower(${alias}.host) = lower(:host)`, { host: args.host });
      return qb;
    };
    // A state is a circuit's: only circuits can match it. Otherwise every target with either row.
    const parts = args.state
      ? [keysOf(TargetCircuitEntity, 'c').andWhere('c.state = :state', { state: args.state })]
      : [keysOf(TargetCircuitEntity, 'c'), keysOf(TargetRateBucketEntity, 'b')];
    const keys = () => scope.ds.createQueryBuilder()
      .from(`(${parts.map((p) => p.getQuery()).join(' UNION ')})`, 'u')
      .setParameters(Object.assign({}, ...parts.map((p) => p.getParameters())));

    const page = keys().select('u.target', 'target').addSelect('u.host', 'host');
    if (after) page.where('(u.host, u.target) > (:afterHost, :afterTarget)', { afterHost: after[0], afterTarget: after[1] });
    const rows: { target: string; host: string }[] = await page.orderBy('u.host', 'ASC').addOrderBy('u.target', 'ASC').limit(limit + 1).getRawMany();
    const total = await keys().select('count(*)::int', 'n').getRawOne<{ n: number }>();

    const shown = rows.slice(0, limit);
    const nodes = await this.nodes(scope, shown.map((r) => r.target));
    const edges = shown.map((r, i) => ({ cursor: encodeTextCursor([r.host, r.target]), node: nodes[i]! }));
    return { edges, totalCount: total?.n ?? 0, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** One target by its raw key, or NOT_FOUND when neither table has it for this tenant. */
  async load(scope: TenantScope, key: string): Promise<Target> {
    const [node] = await this.nodes(scope, [key]);
    if (!node) throw new NotFound('Target');
    return node;
  }

  /** Targets for keys, in order; a key without rows is left out. Two queries for any number of keys. */
  private async nodes(scope: TenantScope, keys: string[]): Promise<Target[]> {
    if (keys.length === 0) return [];
    const [circuits, buckets] = await Promise.all([
      scope.repo(TargetCircuitEntity).findBy(scope.where<TargetCircuitEntity>({ target: In(keys) })),
      scope.repo(TargetRateBucketEntity).findBy(scope.where<TargetRateBucketEntity>({ target: In(keys) })),
    ]);
    return keys.flatMap((key) => {
      const circuit = circuits.find((c) => c.target === key);
      const bucket = buckets.find((b) => b.target === key);
      return circuit || bucket ? [Target.from(key, circuit, bucket)] : [];
    });
  }
}
