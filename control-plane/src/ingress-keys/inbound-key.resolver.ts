import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { CreateInboundKeyInput, CreateInboundKeyPayload, InboundKey } from './inbound-key.types';

@Resolver(() => InboundKey)
export class InboundKeyResolver {
  @Mutation(() => CreateInboundKeyPayload)
  async createInboundKey(@Arg('input') input: CreateInboundKeyInput, @Ctx() ctx: RequestContext): Promise<CreateInboundKeyPayload> {
    const { key, url, row } = await ctx.services.inboundKeys.create(ctx.tenant('write'), input.syncId, input.name);
    return { key, url, inboundKey: InboundKey.from(row) };
  }

  @Mutation(() => InboundKey)
  async revokeInboundKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<InboundKey> {
    return InboundKey.from(await ctx.services.inboundKeys.revoke(ctx.tenant('write'), id));
  }
}
