import { Arg, Args, Ctx, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Connection, ConnectionArgs } from '../common/relay';
import { paginate } from '../common/paginate';
import { CredentialEntity } from '../db/base.entities';
import { CreateCredentialInput, Credential } from './credential.types';

@ObjectType()
class CredentialConnection extends Connection(Credential) {}

@Resolver(() => Credential)
export class CredentialResolver {
  @Query(() => CredentialConnection)
  async credentials(@Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(CredentialEntity), scope.where<CredentialEntity>(), args, Credential.from);
  }

  @Query(() => Credential)
  async credential(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Credential> {
    return Credential.from(await ctx.tenant().load(CredentialEntity, 'Credential', id, 'id'));
  }

  @Mutation(() => Credential, { description: 'Stores a credential encrypted; the secret can never be read back.' })
  async createCredential(@Arg('input') input: CreateCredentialInput, @Ctx() ctx: RequestContext): Promise<Credential> {
    return Credential.from(await ctx.services.credentials.create(ctx.tenant('write'), input));
  }
}
