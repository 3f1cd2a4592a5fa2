import { Arg, Args, Ctx, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { IsNull } from 'typeorm';
import type { RequestContext } from '../common/context';
import { toGlobalId } from '../common/global-id';
import { paginate } from '../common/paginate';
import { Connection, ConnectionArgs } from '../common/relay';
import { SyncEntity, SyncTemplateEntity } from '../db/base.entities';
import { Sync } from '../syncs/sync.types';
import { CreateSyncFromTemplateInput, CreateSyncTemplateInput, SyncTemplate } from './template.types';

@ObjectType() class SyncTemplateConnection extends Connection(SyncTemplate) {}

@Resolver(() => SyncTemplate)
export class TemplateResolver {
  @Query(() => SyncTemplateConnection, { description: "This tenant's templates and the shared ones" })
  async syncTemplates(@Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(SyncTemplateEntity), [{ tenantId: scope.tenantId }, { tenantId: IsNull() }], args, SyncTemplate.from);
  }

  @Query(() => SyncTemplate)
  async syncTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<SyncTemplate> {
    return SyncTemplate.from(await ctx.services.templates.load(ctx.tenant(), id, 'id'));
  }

  @Mutation(() => SyncTemplate, { description: 'A template private to this tenant; with an operator token, a template shared with every tenant.' })
  async createSyncTemplate(@Arg('input') input: CreateSyncTemplateInput, @Ctx() ctx: RequestContext): Promise<SyncTemplate> {
    if (ctx.principal?.kind === 'operator') {
      return SyncTemplate.from(await ctx.services.templates.create(null, { repo: (e) => ctx.ds.getRepository(e) }, input));
    }
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.once(scope, 'createSyncTemplate', input, async () => ({
      id: (await ctx.services.templates.create(scope.tenantId, scope, input)).id,
    }));
    return SyncTemplate.from(await ctx.services.templates.load(scope, toGlobalId('SyncTemplate', id), 'id'));
  }

  @Mutation(() => Sync, { description: "Creates a sync (draft version 1) from a template, with this client's parameters and credentials." })
  async createSyncFromTemplate(@Arg('input') input: CreateSyncFromTemplateInput, @Ctx() ctx: RequestContext): Promise<Sync> {
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.once(scope, 'createSyncFromTemplate', input, async () => ({
      id: (await ctx.services.templates.instantiate(scope, input)).id,
    }));
    return Sync.from(await scope.loadRaw(SyncEntity, 'Sync', id));
  }
}
