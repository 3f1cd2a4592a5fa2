import { Args, Ctx, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Connection } from '../common/relay';
import { Credential } from '../credentials/credential.types';
import { Target, TargetsArgs } from './target.types';

@ObjectType() class TargetConnection extends Connection(Target) {}

@Resolver(() => Target)
export class TargetResolver {
  @Query(() => TargetConnection, { description: "The hosts the tenant's syncs deliver to, per credential: circuit breaker and rate limit, by host" })
  async targets(@Args() args: TargetsArgs, @Ctx() ctx: RequestContext) {
    return ctx.services.targets.list(ctx.tenant(), args);
  }

  @FieldResolver(() => Credential, { nullable: true, description: 'The credential requests to this host are made with (null if it was deleted)' })
  async credential(@Root() target: Target, @Ctx() ctx: RequestContext): Promise<Credential | null> {
    if (!target.rawCredentialId) return null;
    const row = await ctx.loaders.credentials.load(target.rawCredentialId);
    return row ? Credential.from(row) : null;
  }
}
