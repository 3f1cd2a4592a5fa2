import { Args, Ctx, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Connection } from '../common/relay';
import { SyncEntity } from '../db/base.entities';
import { Sync } from '../syncs/sync.types';
import { DeliveryLogArgs, DeliveryLogEntry } from './delivery-log.types';

@ObjectType() class DeliveryLogEntryConnection extends Connection(DeliveryLogEntry) {}

@Resolver(() => Sync)
export class DeliveryLogResolver {
  @Query(() => DeliveryLogEntryConnection, { description: "The tenant's delivery log, newest first: one entry per event with its excerpts and every attempt; filter by sync, entity key, state and time. Kept for the tenant's retention (usageSettings.logRetentionDays)." })
  async deliveryLog(@Args() args: DeliveryLogArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    const sync = args.syncId ? await scope.load(SyncEntity, 'Sync', args.syncId, 'syncId') : undefined;
    return ctx.services.deliveryLog.search(scope, { ...args, rawSyncId: sync?.id });
  }

  @FieldResolver(() => DeliveryLogEntryConnection, { name: 'deliveryLog', description: "This sync's delivery log (see Query.deliveryLog)" })
  async syncDeliveryLog(@Root() sync: Sync, @Args() args: DeliveryLogArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.deliveryLog.search(ctx.tenant(), { ...args, rawSyncId: sync.rawId });
  }
}
