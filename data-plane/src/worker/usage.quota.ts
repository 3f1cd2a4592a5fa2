import { logger } from '../logger';
import type { Database } from '../store/db.pool';

/**
 * After a usage flush: for each tenant just counted that has a monthly quota, the first time this
 * month its received events reach 80 % or 100 % of it, one audit_log entry (operation
 * `quotaThresholdReached`, actor `system`) says so. The conditional UPDATE makes it once per
 * threshold and month even with several workers flushing at the same time.
 */
export async function announceQuotaThresholds(db: Pick<Database, 'query'>, tenantIds: string[]): Promise<void> {
  if (!tenantIds.length) return;
  const { rows } = await db.query<{ tenant_id: string; level: number; used: string; quota: string }>(
    `WITH month AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS name),
     used AS (
       SELECT s.tenant_id, s.monthly_event_quota AS quota,
              (SELECT COALESCE(sum(u.received), 0) FROM usage_hourly u, month m WHERE u.tenant_id = s.tenant_id AND u.hour >= m.start) AS used
         FROM tenant_usage_settings s
        WHERE s.tenant_id = ANY($1::uuid[]) AND s.monthly_event_quota IS NOT NULL),
     levels AS (
       SELECT tenant_id, quota, used, CASE WHEN used >= quota THEN 100 WHEN used * 5 >= quota * 4 THEN 80 END AS level FROM used),
     marked AS (
       UPDATE tenant_usage_settings s SET quota_notified_month = m.name, quota_notified_level = l.level
         FROM levels l, month m
        WHERE s.tenant_id = l.tenant_id AND l.level IS NOT NULL
          AND (s.quota_notified_month IS DISTINCT FROM m.name OR s.quota_notified_level < l.level)
       RETURNING s.tenant_id, l.level, l.used, l.quota, s.quota_enforced, m.name AS month)
     INSERT INTO audit_log (tenant_id, actor, operation, outcome, target_type, target_id, after)
     SELECT tenant_id, 'system', 'quotaThresholdReached', 'ok', 'Tenant', tenant_id::text,
            jsonb_build_object('percent', level, 'used', used, 'quota', quota, 'month', month, 'enforced', quota_enforced)
       FROM marked
     RETURNING tenant_id, (after->>'percent')::int AS level, after->>'used' AS used, after->>'quota' AS quota`,
    [tenantIds],
  );
  for (const r of rows) logger.warn({ tenantId: r.tenant_id, percent: r.level, used: Number(r.used), quota: Number(r.quota) }, 'tenant reached a share of its monthly event quota');
}
