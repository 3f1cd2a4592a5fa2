import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { ProjectEntity, TenantEntity } from '../db/base.entities';
import { ConnectionArgs, Connection } from '../common/relay';
import { paginate } from '../common/paginate';
import { CreateProjectInput, CreateTenantInput, CreateTenantPayload, Project, Tenant, Viewer } from './tenant.types';
import { toGlobalId } from '../common/global-id';

@ObjectType()
class ProjectConnection extends Connection(Project) {}

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Viewer, { description: 'Who the API token belongs to.' })
  async viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    const p = ctx.principal;
    if (p?.kind === 'tenant') {
      const t = await ctx.ds.getRepository(TenantEntity).findOneByOrFail({ id: p.tenantId });
      return { tenant: Tenant.from(t), isOperator: false, scopes: p.scopes };
    }
    ctx.tenant(); // anonymous → UNAUTHENTICATED
    return { tenant: null, isOperator: true, scopes: [] };
  }

  @Mutation(() => CreateTenantPayload, { description: 'Operator only. Creates a tenant with a default project and an admin token.' })
  async createTenant(@Arg('input') input: CreateTenantInput, @Ctx() ctx: RequestContext): Promise<CreateTenantPayload> {
    ctx.requireOperator();
    const { tenant, project, issued } = await ctx.services.tenants.createTenant(input.name);
    return {
      tenant: Tenant.from(tenant),
      defaultProject: Project.from(project),
      apiToken: { token: issued.token, id: toGlobalId('ApiToken', issued.row.id), scopes: issued.row.scopes },
    };
  }

  @Mutation(() => Project)
  async createProject(@Arg('input') input: CreateProjectInput, @Ctx() ctx: RequestContext): Promise<Project> {
    return Project.from(await ctx.services.tenants.createProject(ctx.tenant('write'), input.name));
  }

  @FieldResolver(() => ProjectConnection)
  async projects(@Root() _tenant: Tenant, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(ProjectEntity), scope.where<ProjectEntity>(), args, Project.from);
  }
}
