import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ILike, IsNull, Not } from 'typeorm';
import { fromGlobalId } from '../common/global-id';
import { DeliveryOutcome } from '../deliveries/delivery.types';
import type { RequestContext } from '../common/context';
import { Connection, ConnectionArgs, ListOrder } from '../common/relay';
import { paginate } from '../common/paginate';
import { InboundKeyEntity, SyncEntity } from '../db/base.entities';
import { DeadLetter, DeliveryAttempt } from '../deliveries/delivery.types';
import { InboundKey } from '../ingress-keys/inbound-key.types';
import { InboundSignature, InboundSignatureSecret, SignatureScheme } from '../ingress-keys/inbound-signature.types';
import { CreateSyncInput, Sync, SyncDefinitionInput, SyncVersion } from './sync.types';
import { ActivationOverrideInput } from '../sandbox/sandbox.types';

@ObjectType() class SyncConnection extends Connection(Sync) {}
@ObjectType() class InboundKeyConnection extends Connection(InboundKey) {}
@ObjectType() class DeliveryAttemptConnection extends Connection(DeliveryAttempt) {}
@ObjectType() class DeadLetterConnection extends Connection(DeadLetter) {}

@ArgsType()
class SyncsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true }) projectId?: string;
  @Field({ nullable: true, description: 'true: only syncs with an active version; false: only those without' }) active?: boolean;
  @Field({ nullable: true, description: 'Case-insensitive part of the name' }) nameContains?: string;
  @Field({ nullable: true, description: 'true: only archived syncs; false or left out: only the others' }) archived?: boolean;
  @Field(() => ListOrder, { defaultValue: ListOrder.CREATED_AT_ASC }) orderBy: ListOrder;
}

@ArgsType()
class DeliveriesArgs extends ConnectionArgs {
  @Field(() => DeliveryOutcome, { nullable: true }) outcome?: DeliveryOutcome;
}

@Resolver(() => Sync)
export class SyncResolver {
  @Query(() => SyncConnection)
  async syncs(@Args() args: SyncsArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    const where = scope.where<SyncEntity>({
      ...(args.projectId ? { projectId: fromGlobalId('Project', args.projectId, 'projectId') } : {}),
      ...(args.active === true ? { activeVersion: Not(IsNull()) } : args.active === false ? { activeVersion: IsNull() } : {}),
      ...(args.nameContains ? { name: ILike(`%${args.nameContains.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) } : {}),
      archivedAt: args.archived ? Not(IsNull()) : IsNull(),
    });
    return paginate(scope.repo(SyncEntity), where, args, Sync.from, args.orderBy);
  }

  @Query(() => Sync)
  async sync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Sync> {
    return Sync.from(await ctx.tenant().load(SyncEntity, 'Sync', id, 'id'));
  }

  @Mutation(() => Sync, { description: 'Creates a sync whose definition is draft version 1.' })
  async createSync(@Arg('input') input: CreateSyncInput, @Ctx() ctx: RequestContext): Promise<Sync> {
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.once(scope, 'createSync', input, async () => ({
      id: (await ctx.services.syncs.create(scope, input)).id,
    }));
    return Sync.from(await scope.loadRaw(SyncEntity, 'Sync', id));
  }

  @Mutation(() => SyncVersion, { description: 'Edits the draft version, or opens a new draft when the latest version is active.' })
  async saveSyncDraft(@Arg('syncId', () => ID) syncId: string, @Arg('definition') definition: SyncDefinitionInput, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant('write');
    const sync = await scope.load(SyncEntity, 'Sync', syncId, 'syncId');
    const latest = (await ctx.loaders.versionsBySync.load(sync.id)).at(-1);
    const after = SyncVersion.from(await ctx.services.syncs.saveDraft(scope, syncId, definition));
    // Edited in place: the draft as it was; a new draft version: nothing before it.
    ctx.audit.record({ before: latest?.state === 'draft' ? SyncVersion.from(latest) : null, after });
    return after;
  }

  @Mutation(() => Sync, {
    description: 'Makes a version live (activating an older one rolls back). Activated versions are immutable. Every test case of the sync must pass a '
      + 'dry sandbox run of the version first (CONFLICT with extensions.failedTestCases otherwise); with no test cases it is activated and '
      + "the version's activationCheck carries a warning. `override` (admin scope, audited) skips the test cases.",
  })
  async activateSyncVersion(
    @Arg('syncId', () => ID) syncId: string,
    @Arg('version', () => Int) version: number,
    @Arg('override', () => ActivationOverrideInput, { nullable: true }) override: ActivationOverrideInput | null,
    @Ctx() ctx: RequestContext,
  ) {
    const scope = ctx.tenant('write');
    const admin = ctx.principal?.kind === 'tenant' && ctx.principal.scopes.includes('admin');
    const before = Sync.from(await scope.load(SyncEntity, 'Sync', syncId, 'syncId'));
    const after = Sync.from(await ctx.services.syncs.activate(scope, syncId, version, override ? { reason: override.reason, admin } : null));
    ctx.audit.record({ before, after });
    return after;
  }

  @Mutation(() => Sync, { description: 'Stops taking webhooks (409 sync_paused; the origin retries them later); events already queued are still delivered. Idempotent.' })
  async pauseSync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Sync> {
    return this.setPaused(id, true, ctx);
  }

  @Mutation(() => Sync, { description: 'Takes webhooks again after pauseSync. Idempotent.' })
  async resumeSync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Sync> {
    return this.setPaused(id, false, ctx);
  }

  private async setPaused(id: string, paused: boolean, ctx: RequestContext): Promise<Sync> {
    const { before, after } = await ctx.services.syncs.setPaused(ctx.tenant('write'), id, paused);
    ctx.audit.record({ before: Sync.from(before), after: Sync.from(after) });
    return Sync.from(after);
  }

  @FieldResolver(() => [SyncVersion])
  async versions(@Root() sync: Sync, @Ctx() ctx: RequestContext): Promise<SyncVersion[]> {
    return (await ctx.loaders.versionsBySync.load(sync.rawId)).map(SyncVersion.from);
  }

  @FieldResolver(() => InboundKeyConnection)
  async inboundKeys(@Root() sync: Sync, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(InboundKeyEntity), scope.where<InboundKeyEntity>({ syncId: sync.rawId }), args, InboundKey.from);
  }

  @FieldResolver(() => InboundSignature, { nullable: true, description: 'Signature verification of inbound webhooks; null when off' })
  async inboundSignature(@Root() sync: Sync, @Ctx() ctx: RequestContext): Promise<InboundSignature | null> {
    if (!sync.signature) return null;
    const secrets = await ctx.services.inboundSignatures.activeSecrets(ctx.tenant(), sync.rawId);
    return { scheme: sync.signature.scheme as SignatureScheme, header: sync.signature.header, toleranceSec: sync.signature.toleranceSec, secrets: secrets.map(InboundSignatureSecret.from) };
  }

  @FieldResolver(() => DeliveryAttemptConnection, { description: 'Delivery attempts, newest first' })
  async deliveries(@Root() sync: Sync, @Args() args: DeliveriesArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.deliveries.attempts(ctx.tenant(), sync.rawId, args, args.outcome);
  }

  @FieldResolver(() => DeadLetterConnection, { description: 'Events given up on, newest first' })
  async deadLetters(@Root() sync: Sync, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.deliveries.deadLetters(ctx.tenant(), sync.rawId, args);
  }
}
