import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Connection, ConnectionArgs } from '../common/relay';
import { Sync } from '../syncs/sync.types';
import { AccuracyAuditEntity, BulkRunEntity } from './bulk.entities';
import { AccuracyAudit, AccuracyAuditExample, BulkRun, BulkRunMode, BulkSettings, BulkSettingsInput } from './bulk.types';

@ObjectType() class BulkRunConnection extends Connection(BulkRun) {}
@ObjectType() class AccuracyAuditConnection extends Connection(AccuracyAudit) {}

@Resolver(() => Sync)
export class BulkSyncResolver {
  @Mutation(() => BulkSettings, { description: "Sets how the sync runs in bulk: the source's list operation and its parameters, page size, backpressure, and cron schedules (UTC) for bulk runs and accuracy audits." })
  async configureBulkSync(@Arg('syncId', () => ID) syncId: string, @Arg('input') input: BulkSettingsInput, @Ctx() ctx: RequestContext): Promise<BulkSettings> {
    return BulkSettings.from(await ctx.services.bulk.configure(ctx.tenant('write'), syncId, input));
  }

  @Mutation(() => BulkRun, { description: 'Queues a bulk run of the active version (the scheduler starts it within a second or two). One open run per sync: CONFLICT while one is.' })
  async startBulkRun(
    @Arg('syncId', () => ID) syncId: string,
    @Arg('mode', () => BulkRunMode, { defaultValue: 'full' }) mode: BulkRunMode,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'Retrying with the same key returns the first run and starts nothing' }) idempotencyKey: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<BulkRun> {
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.run(scope, idempotencyKey, 'startBulkRun', { syncId, mode }, async () => ({
      id: (await ctx.services.bulk.startRun(scope, syncId, mode)).id,
    }));
    return BulkRun.from(await scope.loadRaw(BulkRunEntity, 'BulkRun', id));
  }

  @Mutation(() => BulkRun, { description: 'Cancels a run: a queued one at once, a running one after the page in hand (records already published are still processed). CONFLICT when it already ended.' })
  async cancelBulkRun(@Arg('runId', () => ID) runId: string, @Ctx() ctx: RequestContext): Promise<BulkRun> {
    return BulkRun.from(await ctx.services.bulk.cancelRun(ctx.tenant('write'), runId));
  }

  @Mutation(() => AccuracyAudit, { description: 'Queues an accuracy audit: sampleSize records the hub delivered are read in both systems and compared field by field.' })
  async runAccuracyAudit(
    @Arg('syncId', () => ID) syncId: string,
    @Arg('sampleSize', () => Int, { nullable: true, description: "1..1000; default the sync's auditSampleSize (50)" }) sampleSize: number | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<AccuracyAudit> {
    return AccuracyAudit.from(await ctx.services.bulk.runAudit(ctx.tenant('write'), syncId, sampleSize ?? undefined));
  }

  @Mutation(() => BulkRun, { description: 'Re-sends the records a finished audit found mismatched or missing (a REPAIR run; change detection skipped). Once per audit: again returns the same run.' })
  async repairAuditMismatches(@Arg('auditId', () => ID) auditId: string, @Ctx() ctx: RequestContext): Promise<BulkRun> {
    return BulkRun.from(await ctx.services.bulk.repair(ctx.tenant('write'), auditId));
  }

  @FieldResolver(() => BulkSettings, { nullable: true, description: 'null until configureBulkSync' })
  async bulkSettings(@Root() sync: Sync, @Ctx() ctx: RequestContext): Promise<BulkSettings | null> {
    const row = await ctx.services.bulk.settings(ctx.tenant(), sync.rawId);
    return row ? BulkSettings.from(row) : null;
  }

  @FieldResolver(() => BulkRunConnection, { description: 'Bulk runs, newest first' })
  async bulkRuns(@Root() sync: Sync, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.bulk.runs(ctx.tenant(), sync.rawId, args);
  }

  @FieldResolver(() => AccuracyAuditConnection, { description: 'Accuracy audits, newest first' })
  async accuracyAudits(@Root() sync: Sync, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.bulk.audits(ctx.tenant(), sync.rawId, args);
  }
}

@Resolver(() => BulkRun)
export class BulkRunTraceResolver {
  @FieldResolver(() => String, { nullable: true, description: "Link to the run's root trace in the tracing UI (HUB_TRACE_URL_TEMPLATE); null without a trace id" })
  traceUrl(@Root() run: BulkRun, @Ctx() ctx: RequestContext): string | null {
    return ctx.services.deliveries.traceUrl(run.traceId);
  }

  @FieldResolver(() => [String], { description: 'Links to the traces of the pages read (the last 200), in order' })
  pageTraceUrls(@Root() run: BulkRun, @Ctx() ctx: RequestContext): string[] {
    return run.pageTraceIds.map((id) => ctx.services.deliveries.traceUrl(id)).filter((u): u is string => u !== null);
  }
}

@Resolver(() => AccuracyAudit)
export class AccuracyAuditResolver {
  @FieldResolver(() => [AccuracyAuditExample], { description: 'Sampled records that did not match, with the fields that differ' })
  async examples(@Root() audit: AccuracyAudit, @Arg('first', () => Int, { defaultValue: 20 }) first: number, @Ctx() ctx: RequestContext): Promise<AccuracyAuditExample[]> {
    return (await ctx.services.bulk.examples(ctx.tenant(), audit, Math.min(Math.max(first, 1), 100))).map(AccuracyAuditExample.from);
  }
}

export const BULK_LOADERS = {
  BulkRun: async (ctx: RequestContext, id: string) => BulkRun.from(await ctx.tenant().loadRaw(BulkRunEntity, 'BulkRun', id)),
  AccuracyAudit: async (ctx: RequestContext, id: string) => AccuracyAudit.from(await ctx.tenant().loadRaw(AccuracyAuditEntity, 'AccuracyAudit', id)),
};
