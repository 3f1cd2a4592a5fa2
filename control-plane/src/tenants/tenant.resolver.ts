import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { SyncDefaultsInput } from '../syncs/sync.defaults';
import type { RequestContext } from '../common/context';
import { ProjectEntity, TenantEntity } from '../db/base.entities';
import { ConnectionArgs, Connection } from '../common/relay';
import { paginate } from '../common/paginate';
import { CreateProjectInput, CreateTenantInput, CreateTenantPayload, Project, Tenant, Viewer } from './tenant.types';
import { toGlobalId } from '../common/global-id';
import { TenantScope } from '../common/tenant.scope';

const OPERATOR_SCOPE_ID = '00000000-0000-0000-0000-000000000000';

@ObjectType()
class ProjectConnection extends Connection(Project) {}

@ObjectType()
class TenantConnection extends Connection(Tenant) {}

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Viewer, { description: 'Who the API token belongs to.' })
  async viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    const p = ctx.principal;
    if (p?.kind === 'tenant') {
      const t = await ctx.ds.getRepository(TenantEntity).findOneByOrFail({ id: p.tenantId });
      return { tenant: Tenant.from(t), isOperator: false, scopes: p.scopes };
    }
    if (p?.kind !== 'operator') ctx.tenant(); // anonymous → UNAUTHENTICATED (an operator has no tenant: ctx.tenant() would refuse it)
    return { tenant: null, isOperator: true, scopes: [] };
  }

  @Mutation(() => CreateTenantPayload, { description: 'Operator only. Creates a tenant with a default project and an admin token.' })
  async createTenant(@Arg('input') input: CreateTenantInput, @Ctx() ctx: RequestContext): Promise<CreateTenantPayload> {
    ctx.requireOperator();
    // Operators have no tenant: their idempotency keys live under the nil tenant id.
    const operatorScope = new TenantScope(OPERATOR_SCOPE_ID, ctx.ds);
    const { id, secret } = await ctx.services.idempotency.once(operatorScope, 'createTenant', input, async () => {
      const created = await ctx.services.tenants.createTenant(input.name);
      return { id: created.tenant.id, secret: JSON.stringify({ token: created.issued.token, tokenId: created.issued.row.id }) };
    });
    const issued = JSON.parse(secret!) as { token: string; tokenId: string };
    const scope = new TenantScope(id, ctx.ds);
    const tenant = await ctx.ds.getRepository(TenantEntity).findOneByOrFail({ id });
    const project = await scope.repo(ProjectEntity).findOneByOrFail(scope.where<ProjectEntity>({ name: 'default' }));
    return {
      tenant: Tenant.from(tenant),
      defaultProject: Project.from(project),
      apiToken: { token: issued.token, id: toGlobalId('ApiToken', issued.tokenId), scopes: ['admin'] },
    };
  }

  @Mutation(() => Project)
  async createProject(@Arg('input') input: CreateProjectInput, @Ctx() ctx: RequestContext): Promise<Project> {
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.once(scope, 'createProject', input, async () => ({
      id: (await ctx.services.tenants.createProject(scope, input.name)).id,
    }));
    return Project.from(await scope.loadRaw(ProjectEntity, 'Project', id));
  }

  @Mutation(() => Tenant, { description: 'Defaults every sync of the tenant inherits (admin scope); replaces the previous ones' })
  async setTenantDefaults(@Arg('defaults') defaults: SyncDefaultsInput, @Ctx() ctx: RequestContext): Promise<Tenant> {
    const { before, after } = await ctx.services.tenants.setTenantDefaults(ctx.tenant('admin'), defaults);
    ctx.audit.record({ before: Tenant.from(before), after: Tenant.from(after) });
    return Tenant.from(after);
  }

  @Mutation(() => Tenant, { description: "Sends this tenant's outbound calls (fetches and deliveries) through an HTTP CONNECT proxy (http://host:port, admin scope), so targets can allow-list one address; null goes back to the operator's proxy, if any" })
  async setTenantEgressProxy(@Arg('url', () => String, { nullable: true }) url: string | null, @Ctx() ctx: RequestContext): Promise<Tenant> {
    const { before, after } = await ctx.services.tenants.setEgressProxy(ctx.tenant('admin'), url ?? null);
    ctx.audit.record({ before: Tenant.from(before), after: Tenant.from(after) });
    return Tenant.from(after);
  }

  @Mutation(() => Project, { description: "Defaults the project's syncs inherit; replaces the previous ones" })
  async setProjectDefaults(@Arg('projectId', () => ID) projectId: string, @Arg('defaults') defaults: SyncDefaultsInput, @Ctx() ctx: RequestContext): Promise<Project> {
    const { before, after } = await ctx.services.tenants.setProjectDefaults(ctx.tenant('write'), projectId, defaults);
    ctx.audit.record({ before: Project.from(before), after: Project.from(after) });
    return Project.from(after);
  }

  @Query(() => TenantConnection, { description: 'Operator only: every tenant' })
  async tenants(@Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    ctx.requireOperator();
    return paginate(ctx.ds.getRepository(TenantEntity), {}, args, Tenant.from);
  }

  @FieldResolver(() => ProjectConnection)
  async projects(@Root() _tenant: Tenant, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(ProjectEntity), scope.where<ProjectEntity>(), args, Project.from);
  }
}
