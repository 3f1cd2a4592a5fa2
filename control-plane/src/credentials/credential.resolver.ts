import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Connection, ConnectionArgs, ListOrder } from '../common/relay';
import { paginate } from '../common/paginate';
import { CredentialEntity } from '../db/base.entities';
import { CreateCredentialInput, Credential, CredentialKind, CredentialSecretInput, CredentialStatus, TestCredentialInput } from './credential.types';

@ObjectType()
class CredentialConnection extends Connection(Credential) {}

@ArgsType()
class CredentialsArgs extends ConnectionArgs {
  @Field(() => CredentialKind, { nullable: true }) kind?: CredentialKind;
  @Field(() => CredentialStatus, { nullable: true }) status?: CredentialStatus;
  @Field(() => ListOrder, { defaultValue: ListOrder.CREATED_AT_ASC }) orderBy: ListOrder;
}

@Resolver(() => Credential)
export class CredentialResolver {
  @Query(() => CredentialConnection)
  async credentials(@Args() args: CredentialsArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    const where = scope.where<CredentialEntity>({ ...(args.kind ? { kind: args.kind } : {}), ...(args.status ? { status: args.status } : {}) });
    return paginate(scope.repo(CredentialEntity), where, args, Credential.from, args.orderBy);
  }

  @Query(() => Credential)
  async credential(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Credential> {
    return Credential.from(await ctx.tenant().load(CredentialEntity, 'Credential', id, 'id'));
  }

  @Mutation(() => Credential, { description: 'Stores a credential encrypted; the secret can never be read back.' })
  async createCredential(@Arg('input') input: CreateCredentialInput, @Ctx() ctx: RequestContext): Promise<Credential> {
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.once(scope, 'createCredential', input, async () => ({
      id: (await ctx.services.credentials.create(scope, input)).id,
    }));
    return Credential.from(await scope.loadRaw(CredentialEntity, 'Credential', id));
  }

  @Mutation(() => Credential, { description: 'Replaces the secret of a credential in place (same kind); syncs keep using it without downtime.' })
  async rotateCredential(@Arg('id', () => ID) id: string, @Arg('secret') secret: CredentialSecretInput, @Ctx() ctx: RequestContext): Promise<Credential> {
    const { before, after } = await ctx.services.credentials.rotate(ctx.tenant('write'), id, secret);
    ctx.audit.record({ before: Credential.from(before), after: Credential.from(after) });
    return Credential.from(after);
  }

  @Mutation(() => Credential, { description: "Makes one cheap authenticated call through the connector's test operation and records the outcome in lastTest." })
  async testCredential(@Arg('input') input: TestCredentialInput, @Ctx() ctx: RequestContext): Promise<Credential> {
    return Credential.from(await ctx.services.credentials.test(ctx.tenant('write'), input));
  }
}
