import { ConfigChangeKind, DEFAULT_LOG_RETENTION_DAYS } from '@datahub/proto';
import type { ConfigBus } from '../bus/config.publisher';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import type { UsageService } from './usage.service';
import type { TenantUsageSettings } from './usage.types';

const MAX_SENSITIVE_FIELDS = 100;

/**
 * A tenant's usage settings (tenant_usage_settings): the monthly quota an operator sets, and the
 * delivery-log retention and redaction the tenant sets. Each change is announced (ConfigChanged
 * TENANT_SETTINGS_CHANGED) so ingress and workers drop their cached copy at once.
 */
export class UsageSettingsService {
  constructor(private readonly usage: UsageService, private readonly bus: ConfigBus) {}

  async setQuota(scope: TenantScope, quota: number | null, enforced: boolean) {
    if (quota !== null && (!Number.isInteger(quota) || quota < 1)) throw new InvalidInput('monthlyEventQuota', 'monthlyEventQuota must be a positive whole number, or null for no quota');
    return this.change(scope, `INSERT INTO tenant_usage_settings (tenant_id, monthly_event_quota, quota_enforced) VALUES ($1, $2::bigint, $3::boolean)
      ON CONFLICT (tenant_id) DO UPDATE SET monthly_event_quota = EXCLUDED.monthly_event_quota, quota_enforced = EXCLUDED.quota_enforced,
        -- a new quota is announced afresh when it is reached
        quota_notified_month = NULL, quota_notified_level = NULL, updated_at = now()`, [scope.tenantId, quota, enforced]);
  }

  async setLogSettings(scope: TenantScope, retentionDays: number | undefined, sensitiveFields: string[] | undefined) {
    if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650)) {
      throw new InvalidInput('retentionDays', 'retentionDays must be between 1 and 3650');
    }
    const fields = sensitiveFields?.map((f) => f.trim()).filter(Boolean);
    if (fields && (fields.length > MAX_SENSITIVE_FIELDS || fields.some((f) => f.length > 200))) {
      throw new InvalidInput('sensitiveFields', `At most ${MAX_SENSITIVE_FIELDS} field names of up to 200 characters`);
    }
    return this.change(scope, `INSERT INTO tenant_usage_settings (tenant_id, log_retention_days, sensitive_fields) VALUES ($1, COALESCE($2::int, $4::int), COALESCE($3::text[], '{}'::text[]))
      ON CONFLICT (tenant_id) DO UPDATE SET log_retention_days = COALESCE($2::int, tenant_usage_settings.log_retention_days),
        sensitive_fields = COALESCE($3::text[], tenant_usage_settings.sensitive_fields), updated_at = now()`,
    [scope.tenantId, retentionDays ?? null, fields ? [...new Set(fields)] : null, DEFAULT_LOG_RETENTION_DAYS]);
  }

  private async change(scope: TenantScope, sql: string, params: unknown[]): Promise<{ before: TenantUsageSettings; after: TenantUsageSettings }> {
    const before = await this.usage.settings(scope);
    await scope.ds.query(sql, params);
    const after = await this.usage.settings(scope);
    await this.bus.publish({ kind: ConfigChangeKind.TENANT_SETTINGS_CHANGED, tenantId: scope.tenantId });
    return { before, after };
  }
}
