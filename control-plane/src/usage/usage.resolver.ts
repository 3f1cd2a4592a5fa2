import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { fromGlobalId } from '../common/global-id';
import { TenantScope } from '../common/tenant.scope';
import { TenantEntity } from '../db/base.entities';
import { NotFound } from '../common/errors';
import { TenantUsageSettings, Usage, UsageGranularity, UsageScopeInput } from './usage.types';

@Resolver()
export class UsageResolver {
  @Query(() => Usage, { description: 'Events counted for a tenant, project, sync or target (an operator: scope.tenantId of any tenant) over [from, to) (widened to whole hours or days, UTC): totals, a series with every point (zeros included), success rate, latency percentiles, the syncs failing most, and the quota. Counted by the workers and written every few seconds.' })
  async usage(
    @Arg('scope', () => UsageScopeInput) scope: UsageScopeInput,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Arg('granularity', () => UsageGranularity, { defaultValue: UsageGranularity.HOUR }) granularity: UsageGranularity,
    @Ctx() ctx: RequestContext,
  ): Promise<Usage> {
    if (ctx.principal?.kind === 'operator' && scope.tenantId) {
      // An operator (who has no tenant) reads a tenant's usage, whole or one of its projects, syncs or targets.
      const id = fromGlobalId('Tenant', scope.tenantId, 'scope.tenantId');
      if (!(await ctx.ds.getRepository(TenantEntity).existsBy({ id }))) throw new NotFound('Tenant');
      return ctx.services.usage.usage(new TenantScope(id, ctx.ds), { ...scope, tenantId: undefined, tenant: !(scope.projectId || scope.syncId || scope.targetId || scope.targetHost) || undefined }, from, to, granularity);
    }
    return ctx.services.usage.usage(ctx.tenant(), scope, from, to, granularity);
  }

  @Query(() => TenantUsageSettings, { description: "The caller's tenant: quota, delivery-log retention and redaction" })
  async usageSettings(@Ctx() ctx: RequestContext): Promise<TenantUsageSettings> {
    return ctx.services.usage.settings(ctx.tenant());
  }

  @Mutation(() => TenantUsageSettings, { description: 'Operator only. Sets (or with null removes) the monthly event quota of a tenant. At 80 % and 100 % an audit entry (quotaThresholdReached) is written and `usage.quota.level` says so; at 100 % ingress refuses webhooks with 429 quota_exceeded when enforce is true, and only reports otherwise.' })
  async setTenantQuota(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('monthlyEventQuota', () => Int, { nullable: true }) monthlyEventQuota: number | null,
    @Arg('enforce', { defaultValue: true, description: 'false: only report reaching the quota' }) enforce: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<TenantUsageSettings> {
    ctx.requireOperator();
    const id = fromGlobalId('Tenant', tenantId, 'tenantId');
    if (!(await ctx.ds.getRepository(TenantEntity).existsBy({ id }))) throw new NotFound('Tenant');
    const { before, after } = await ctx.services.usageSettings.setQuota(new TenantScope(id, ctx.ds), monthlyEventQuota ?? null, enforce);
    ctx.audit.record({ tenantId: id, targetType: 'Tenant', targetId: id, before, after });
    return after;
  }

  @Mutation(() => TenantUsageSettings, { description: 'Admin scope. How long the delivery log keeps events (days, default 30) and which field names its excerpts redact; an omitted argument keeps its value.' })
  async setTenantLogSettings(
    @Arg('retentionDays', () => Int, { nullable: true }) retentionDays: number | null,
    @Arg('sensitiveFields', () => [String], { nullable: true }) sensitiveFields: string[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TenantUsageSettings> {
    const scope = ctx.tenant('admin');
    const { before, after } = await ctx.services.usageSettings.setLogSettings(scope, retentionDays ?? undefined, sensitiveFields ?? undefined);
    ctx.audit.record({ targetType: 'Tenant', targetId: scope.tenantId, before, after });
    return after;
  }
}
