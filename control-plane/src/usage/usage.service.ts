import { DEFAULT_LOG_RETENTION_DAYS, USAGE_COUNTERS, type UsageCounterName } from '@datahub/proto';
import { InvalidInput, NotFound } from '../common/errors';
import { fromGlobalId, toGlobalId } from '../common/global-id';
import type { TenantScope } from '../common/tenant.scope';
import { ProjectEntity, SyncEntity } from '../db/base.entities';
import type { TargetService } from '../targets/target.service';
import { percentiles } from './usage.percentiles';
import { QuotaStatus, Usage, UsageCounts, UsageGranularity, UsagePoint, type FailingSync, type TenantUsageSettings, type UsageScopeInput } from './usage.types';

const HOUR_MS = 3_600_000;
const STEP_MS = { [UsageGranularity.HOUR]: HOUR_MS, [UsageGranularity.DAY]: 24 * HOUR_MS };
/** Points one query may return: a month of hours, a year of days. */
const MAX_POINTS = { [UsageGranularity.HOUR]: 24 * 31, [UsageGranularity.DAY]: 366 };
const CAMEL: Record<UsageCounterName, Exclude<keyof UsageCounts, 'successRate'>> = {
  received: 'received', fetched: 'fetched', filtered: 'filtered', unchanged: 'unchanged', delivered: 'delivered', retried: 'retried', dead_lettered: 'deadLettered',
};

/** `u.tenant_id = $1 AND …`: the rows of usage_hourly / usage_latency_hourly a scope covers. */
interface ScopeSql { where: string; params: unknown[] }

/**
 * The `usage` query: sums of what the worker counted per hour (usage_hourly), days added up at
 * query time, latency percentiles from the hourly histograms, and the tenant's quota.
 */
export class UsageService {
  constructor(private readonly targets: TargetService) {}

  async usage(scope: TenantScope, input: UsageScopeInput, fromIn: Date, toIn: Date, granularity: UsageGranularity): Promise<Usage> {
    const step = STEP_MS[granularity];
    const from = new Date(Math.floor(fromIn.getTime() / step) * step);
    const to = new Date(Math.ceil(toIn.getTime() / step) * step);
    if (!(to > from)) throw new InvalidInput('to', 'to must be after from');
    if ((to.getTime() - from.getTime()) / step > MAX_POINTS[granularity]) {
      throw new InvalidInput('to', `At most ${MAX_POINTS[granularity]} points per query at ${granularity} granularity; narrow the range or use DAY`);
    }
    const s = await this.scopeSql(scope, input);
    const p = [...s.params, from, to];
    const range = `${s.where} AND u.hour >= $${p.length - 1} AND u.hour < $${p.length}`;
    const sums = USAGE_COUNTERS.map((c) => `sum(u.${c})::bigint AS ${c}`).join(', ');
    const [rows, latency, failing, quota] = await Promise.all([
      scope.ds.query(`SELECT date_trunc('${granularity}', u.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, ${sums}
                        FROM usage_hourly u WHERE ${range} GROUP BY 1`, p) as Promise<Record<string, string | Date>[]>,
      scope.ds.query(`SELECT u.kind, u.le_ms, sum(u.n)::bigint AS n FROM usage_latency_hourly u WHERE ${range} GROUP BY 1, 2`, p) as Promise<{ kind: string; le_ms: string; n: string }[]>,
      scope.ds.query(`SELECT u.sync_id, s.name, sum(u.dead_lettered)::bigint AS dead_lettered, sum(u.retried)::bigint AS retried, sum(u.delivered)::bigint AS delivered
                        FROM usage_hourly u LEFT JOIN syncs s ON s.id = u.sync_id AND s.tenant_id = u.tenant_id
                       WHERE ${range} GROUP BY 1, 2 HAVING sum(u.dead_lettered) + sum(u.retried) > 0
                       ORDER BY 3 DESC, 4 DESC, 1 LIMIT 5`, p) as Promise<Record<string, string>[]>,
      this.quota(scope),
    ]);
    const byStart = new Map(rows.map((r) => [new Date(r.start as Date).getTime(), r]));
    const series: UsagePoint[] = [];
    for (let t = from.getTime(); t < to.getTime(); t += step) {
      series.push(Object.assign(new UsagePoint(), { start: new Date(t), ...counts(byStart.get(t)) }));
    }
    const totals = counts(Object.fromEntries(USAGE_COUNTERS.map((c) => [c, String(series.reduce((n, pt) => n + pt[CAMEL[c]], 0))])));
    const histogram = (kind: string) => percentiles(latency.filter((r) => r.kind === kind).map((r) => ({ leMs: Number(r.le_ms), n: Number(r.n) })));
    return Object.assign(new Usage(), {
      from, to, granularity, totals, series, quota,
      latency: { receiptToDelivery: histogram('receipt_to_delivery'), targetCall: histogram('target_call') },
      topFailingSyncs: failing.map((r): FailingSync => ({
        syncId: toGlobalId('Sync', r.sync_id!), name: r.name ?? null, deadLettered: Number(r.dead_lettered), retried: Number(r.retried),
        delivered: Number(r.delivered), successRate: rate(Number(r.delivered), Number(r.dead_lettered)),
      })),
    });
  }

  /** The tenant's quota and this month's received events (UTC calendar month). */
  async quota(scope: TenantScope): Promise<QuotaStatus> {
    const [row] = await scope.ds.query(
      `SELECT s.monthly_event_quota AS quota, COALESCE(s.quota_enforced, true) AS enforced, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
              (SELECT COALESCE(sum(u.received), 0) FROM usage_hourly u
                WHERE u.tenant_id = $1 AND u.hour >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS used
         FROM (SELECT $1::uuid AS tenant_id) t LEFT JOIN tenant_usage_settings s ON s.tenant_id = t.tenant_id`,
      [scope.tenantId],
    ) as { quota: string | null; enforced: boolean; month: string; used: string }[];
    const quota = row!.quota === null ? null : Number(row!.quota);
    const used = Number(row!.used);
    const percent = quota ? Math.round((used / quota) * 10_000) / 100 : null;
    return Object.assign(new QuotaStatus(), {
      monthlyEventQuota: quota, used, percentUsed: percent, enforced: row!.enforced, month: row!.month,
      level: percent === null ? 0 : percent >= 100 ? 100 : percent >= 80 ? 80 : 0,
    });
  }

  async settings(scope: TenantScope): Promise<TenantUsageSettings> {
    const [r] = await scope.ds.query(`SELECT * FROM tenant_usage_settings WHERE tenant_id = $1`, [scope.tenantId]) as Record<string, unknown>[];
    return {
      monthlyEventQuota: r?.monthly_event_quota == null ? null : Number(r.monthly_event_quota), quotaEnforced: (r?.quota_enforced as boolean | undefined) ?? true,
      logRetentionDays: (r?.log_retention_days as number | undefined) ?? DEFAULT_LOG_RETENTION_DAYS, sensitiveFields: (r?.sensitive_fields as string[] | undefined) ?? [],
    };
  }

  private async scopeSql(scope: TenantScope, input: UsageScopeInput): Promise<ScopeSql> {
    const given = (['tenantId', 'tenant', 'projectId', 'syncId', 'targetId', 'targetHost'] as const).filter((k) => input[k] !== undefined && input[k] !== null && input[k] !== false);
    if (given.length !== 1) throw new InvalidInput('scope', 'Give exactly one of scope.tenant, tenantId, projectId, syncId, targetId or targetHost');
    const base = { where: 'u.tenant_id = $1', params: [scope.tenantId] as unknown[] };
    switch (given[0]) {
      case 'tenant':
        return base;
      case 'tenantId':
        if (fromGlobalId('Tenant', input.tenantId!, 'scope.tenantId') !== scope.tenantId) throw new NotFound('Tenant'); // like every object of another tenant: not confirmed to exist
        return base;
      case 'projectId': {
        const project = await scope.load(ProjectEntity, 'Project', input.projectId!, 'scope.projectId');
        return { where: `${base.where} AND u.project_id = $2`, params: [scope.tenantId, project.id] };
      }
      case 'syncId': {
        const sync = await scope.load(SyncEntity, 'Sync', input.syncId!, 'scope.syncId');
        return { where: `${base.where} AND u.sync_id = $2`, params: [scope.tenantId, sync.id] };
      }
      case 'targetId': {
        const target = await this.targets.load(scope, fromGlobalId('Target', input.targetId!, 'scope.targetId'));
        return { where: `${base.where} AND lower(u.target) = lower($2)`, params: [scope.tenantId, target.host] };
      }
      case 'targetHost':
        return { where: `${base.where} AND lower(u.target) = lower($2)`, params: [scope.tenantId, input.targetHost!] };
      default:
        throw new InvalidInput('scope', 'unknown scope');
    }
  }
}

function rate(delivered: number, dead: number): number | null {
  return delivered + dead === 0 ? null : Math.round((delivered / (delivered + dead)) * 10_000) / 10_000;
}

function counts(row: Record<string, unknown> | undefined): UsageCounts {
  const c = Object.fromEntries(USAGE_COUNTERS.map((name) => [CAMEL[name], Number(row?.[name] ?? 0)])) as unknown as UsageCounts;
  return Object.assign(new UsageCounts(), c, { successRate: rate(c.delivered, c.deadLettered) });
}
