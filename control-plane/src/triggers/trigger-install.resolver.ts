import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Sync } from '../syncs/sync.types';
import type { RequestContext } from '../common/context';
import { toGlobalId } from '../common/global-id';
import { SyncEntity } from '../db/base.entities';
import type { SyncTriggerEntity } from './sync-trigger.entity';

@ObjectType({ description: "A webhook the hub registered at the sync's origin through its webhooks API (installTrigger)" })
export class InstalledTrigger {
  @Field(() => ID) syncId: string;
  @Field({ description: 'The origin connector, e.g. activecampaign' }) connector: string;
  @Field({ description: "The webhook's id at the origin" }) remoteId: string;
  @Field({ description: 'The URL registered there, its key masked (the key itself is never shown again)' }) url: string;
  @Field(() => ID, { description: 'The inbound key minted for it: revoking it removes the webhook' }) inboundKeyId: string;
  @Field() createdAt: Date;

  static from(row: SyncTriggerEntity): InstalledTrigger {
    return {
      syncId: toGlobalId('Sync', row.syncId), connector: row.connector, remoteId: row.remoteId, url: row.urlMasked,
      inboundKeyId: toGlobalId('InboundKey', row.inboundKeyId), createdAt: row.createdAt,
    };
  }
}

@Resolver(() => Sync)
export class TriggerInstallResolver {
  @FieldResolver(() => InstalledTrigger, { nullable: true, description: 'The webhook installTrigger registered at the origin (still listed when removing it failed: retry uninstallTrigger)' })
  async installedTrigger(@Root() sync: Sync, @Ctx() ctx: RequestContext): Promise<InstalledTrigger | null> {
    const row = await ctx.services.triggers.find(ctx.tenant('read'), sync.rawId);
    return row && InstalledTrigger.from(row);
  }

  @Mutation(() => InstalledTrigger, {
    description: "Registers the hub's inbound URL at the origin's webhooks API (manifest triggerInstall). Idempotent per sync. TRIGGER_MANUAL when the origin has none: use Sync.triggerSetup.",
  })
  async installTrigger(@Arg('syncId', () => ID) syncId: string, @Ctx() ctx: RequestContext): Promise<InstalledTrigger> {
    const after = InstalledTrigger.from(await ctx.services.triggers.install(ctx.tenant('admin'), syncId));
    ctx.audit.record({ targetType: 'Sync', before: null, after });
    return after;
  }

  @Mutation(() => InstalledTrigger, { nullable: true, description: 'Removes the webhook at the origin and revokes its key; null when none was installed.' })
  async uninstallTrigger(@Arg('syncId', () => ID) syncId: string, @Ctx() ctx: RequestContext): Promise<InstalledTrigger | null> {
    const scope = ctx.tenant('admin');
    const sync = await scope.load(SyncEntity, 'Sync', syncId, 'syncId');
    const row = await ctx.services.triggers.uninstall(scope, sync.id, true);
    const before = row && InstalledTrigger.from(row);
    ctx.audit.record({ targetType: 'Sync', before, after: null });
    return before;
  }
}
