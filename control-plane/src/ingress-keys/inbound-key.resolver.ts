import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { InboundKeyEntity, SyncEntity } from '../db/base.entities';
import { Sync } from '../syncs/sync.types';
import { CreateInboundKeyInput, CreateInboundKeyPayload, InboundKey, RotateInboundKeyPayload } from './inbound-key.types';
import {
  AddInboundSignatureSecretInput, AddInboundSignatureSecretPayload, InboundSignatureSecret, SetInboundSignatureInput,
} from './inbound-signature.types';

@Resolver(() => InboundKey)
export class InboundKeyResolver {
  @Mutation(() => CreateInboundKeyPayload)
  async createInboundKey(@Arg('input') input: CreateInboundKeyInput, @Ctx() ctx: RequestContext): Promise<CreateInboundKeyPayload> {
    const scope = ctx.tenant('write');
    const { id, secret } = await ctx.services.idempotency.once(scope, 'createInboundKey', input, async () => {
      const created = await ctx.services.inboundKeys.create(scope, input.syncId, input.name);
      return { id: created.row.id, secret: created.key };
    });
    const row = await scope.loadRaw(InboundKeyEntity, 'InboundKey', id);
    return { key: secret!, url: ctx.services.inboundKeys.urlFor(secret!), inboundKey: InboundKey.from(row) };
  }

  @Mutation(() => RotateInboundKeyPayload, { description: 'Issues a new key; the old one keeps working for overlapSec, then expires.' })
  async rotateInboundKey(@Arg('id', () => ID) id: string, @Arg('overlapSec', () => Int, { defaultValue: 86_400 }) overlapSec: number, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant('write');
    const before = InboundKey.from(await scope.load(InboundKeyEntity, 'InboundKey', id, 'id'));
    const r = await ctx.services.inboundKeys.rotate(scope, id, overlapSec);
    ctx.audit.record({ targetType: 'InboundKey', targetId: r.previous.id, before, after: { previous: InboundKey.from(r.previous), issued: InboundKey.from(r.row) } });
    return { key: r.key, url: r.url, inboundKey: InboundKey.from(r.row), previous: InboundKey.from(r.previous) };
  }

  @Mutation(() => InboundKey, { description: 'Stops the key on every ingress within a second. Idempotent.' })
  async revokeInboundKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<InboundKey> {
    const scope = ctx.tenant('write');
    const before = InboundKey.from(await scope.load(InboundKeyEntity, 'InboundKey', id, 'id'));
    const revoked = await ctx.services.inboundKeys.revoke(scope, id);
    await ctx.services.triggers.keyRevoked(scope, revoked);
    const after = InboundKey.from(revoked);
    ctx.audit.record({ before, after });
    return after;
  }

  @Mutation(() => Sync, { description: 'Requires webhooks of this sync to be signed with the given scheme.' })
  async setInboundSignature(@Arg('input') input: SetInboundSignatureInput, @Ctx() ctx: RequestContext): Promise<Sync> {
    const scope = ctx.tenant('write');
    const before = await scope.load(SyncEntity, 'Sync', input.syncId, 'input.syncId');
    const after = await ctx.services.inboundSignatures.set(scope, input);
    ctx.audit.record({ before: { signature: before.signature }, after: { signature: after.signature } });
    return Sync.from(after);
  }

  @Mutation(() => Sync, { description: 'Stops requiring signatures on this sync.' })
  async disableInboundSignature(@Arg('syncId', () => ID) syncId: string, @Ctx() ctx: RequestContext): Promise<Sync> {
    const scope = ctx.tenant('write');
    const before = await scope.load(SyncEntity, 'Sync', syncId, 'syncId');
    const after = await ctx.services.inboundSignatures.disable(scope, syncId);
    ctx.audit.record({ before: { signature: before.signature }, after: { signature: after.signature } });
    return Sync.from(after);
  }

  @Mutation(() => AddInboundSignatureSecretPayload, { description: 'Adds a signing secret; with retireOthersAfterSec this is a rotation with overlap.' })
  async addInboundSignatureSecret(@Arg('input') input: AddInboundSignatureSecretInput, @Ctx() ctx: RequestContext): Promise<AddInboundSignatureSecretPayload> {
    const { secret, row } = await ctx.services.inboundSignatures.addSecret(ctx.tenant('write'), input);
    return { secret, signatureSecret: InboundSignatureSecret.from(row) };
  }
}
