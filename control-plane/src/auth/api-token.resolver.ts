import { Arg, Args, Ctx, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { InvalidInput } from '../common/errors';
import { paginate } from '../common/paginate';
import { Connection, ConnectionArgs } from '../common/relay';
import { requireName } from '../common/validate';
import { ApiTokenEntity } from '../db/base.entities';
import { ApiToken, CreateApiTokenInput, CreateApiTokenPayload } from './api-token.types';

@ObjectType() class ApiTokenConnection extends Connection(ApiToken) {}

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => ApiTokenConnection, { description: 'The tenant API tokens (admin scope)' })
  async apiTokens(@Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant('admin');
    return paginate(scope.repo(ApiTokenEntity), scope.where<ApiTokenEntity>(), args, ApiToken.from);
  }

  @Mutation(() => CreateApiTokenPayload, { description: 'Issues another API token for this tenant (admin scope).' })
  async createApiToken(@Arg('input') input: CreateApiTokenInput, @Ctx() ctx: RequestContext): Promise<CreateApiTokenPayload> {
    const scope = ctx.tenant('admin');
    const name = requireName(input.name, 'input.name');
    if (!input.scopes.length) throw new InvalidInput('input.scopes', 'Give the token at least one scope');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new InvalidInput('input.expiresAt', 'expiresAt must be in the future');
    const { id, secret } = await ctx.services.idempotency.once(scope, 'createApiToken', input, async () => {
      const issued = await ctx.services.tokens.issue(scope.tenantId, name, [...new Set(input.scopes)], input.expiresAt ?? null);
      return { id: issued.row.id, secret: issued.token };
    });
    return { token: secret!, apiToken: ApiToken.from(await scope.loadRaw(ApiTokenEntity, 'ApiToken', id)) };
  }

  @Mutation(() => ApiToken, { description: 'Revokes a token at once (admin scope). Idempotent.' })
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiToken> {
    const scope = ctx.tenant('admin');
    const row = await scope.load(ApiTokenEntity, 'ApiToken', id, 'id');
    const before = ApiToken.from(row);
    row.revokedAt ??= new Date();
    const saved = await scope.repo(ApiTokenEntity).save(row);
    ctx.audit.record({ before, after: ApiToken.from(saved) });
    return ApiToken.from(saved);
  }
}
