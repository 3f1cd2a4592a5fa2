import type { DataSource } from 'typeorm';
import { ProjectEntity, TenantEntity } from '../db/base.entities';
import type { ApiTokenService } from '../auth/api-token.service';
import type { TenantScope } from '../common/tenant.scope';
import { Conflict, InvalidInput } from '../common/errors';
import { requireName } from '../common/validate';
import { ConfigChangeKind } from '@datahub/proto';
import { parseEgressProxy, SOURCE_OPERATION_KINDS, TARGET_OPERATION_KINDS } from '@datahub/connectors';
import type { ConfigBus } from '../bus/config.publisher';
import type { SyncDefaultsInput } from '../syncs/sync.defaults';
import type { SyncValidator } from '../syncs/sync.validate';
import { checkDeliveryPolicy } from '../syncs/delivery-policy.rules';

export class TenantService {
  constructor(
    private readonly ds: DataSource, private readonly tokens: ApiTokenService, private readonly validator: SyncValidator,
    private readonly bus: ConfigBus, private readonly allowHosts: Set<string>,
  ) {}

  /**
   * Sets (or, with null, clears) the tenant's egress proxy. Checked like any outbound URL (public
   * or allow-listed, no credentials); workers drop their cached copy on ConfigChanged.
   */
  async setEgressProxy(scope: TenantScope, url: string | null): Promise<{ before: TenantEntity; after: TenantEntity }> {
    let clean: string | null = null;
    if (url !== null && url.trim() !== '') {
      const parsed = parseEgressProxy(url.trim(), false, this.allowHosts);
      if (!parsed.ok) throw new InvalidInput('url', `The egress proxy ${parsed.reason}`);
      clean = parsed.proxy.url.origin;
    }
    const repo = this.ds.getRepository(TenantEntity);
    const tenant = await repo.findOneByOrFail({ id: scope.tenantId });
    const before = { ...tenant };
    tenant.egressProxyUrl = clean;
    const after = await repo.save(tenant);
    await this.bus.publish({ kind: ConfigChangeKind.TENANT_SETTINGS_CHANGED, tenantId: scope.tenantId });
    return { before, after };
  }

  /** Checks defaults as a sync would use them, then stores them as given (global ids). */
  private async checkedDefaults(scope: TenantScope, d: SyncDefaultsInput, at: string): Promise<Record<string, unknown>> {
    if (d.source) await this.validator.endpoint(scope, d.source, `${at}.source`, SOURCE_OPERATION_KINDS);
    if (d.target) await this.validator.endpoint(scope, d.target, `${at}.target`, TARGET_OPERATION_KINDS);
    checkDeliveryPolicy(d.delivery, `${at}.delivery`);
    return JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
  }

  async setTenantDefaults(scope: TenantScope, d: SyncDefaultsInput): Promise<{ before: TenantEntity; after: TenantEntity }> {
    const repo = this.ds.getRepository(TenantEntity);
    const tenant = await repo.findOneByOrFail({ id: scope.tenantId });
    const before = { ...tenant };
    tenant.defaults = await this.checkedDefaults(scope, d, 'defaults');
    return { before, after: await repo.save(tenant) };
  }

  async setProjectDefaults(scope: TenantScope, projectGlobalId: string, d: SyncDefaultsInput): Promise<{ before: ProjectEntity; after: ProjectEntity }> {
    const project = await scope.load(ProjectEntity, 'Project', projectGlobalId, 'projectId');
    const before = { ...project };
    project.defaults = await this.checkedDefaults(scope, d, 'defaults');
    return { before, after: await scope.repo(ProjectEntity).save(project) };
  }

  /** Operator only: a tenant, its default project and a first admin token. */
  async createTenant(name: string) {
    const tenant = await this.ds.getRepository(TenantEntity).save({ name: requireName(name, 'input.name') });
    const project = await this.ds.getRepository(ProjectEntity).save({ tenantId: tenant.id, name: 'default' });
    const issued = await this.tokens.issue(tenant.id, 'initial admin token', ['admin']);
    return { tenant, project, issued };
  }

  async createProject(scope: TenantScope, name: string): Promise<ProjectEntity> {
    const clean = requireName(name, 'input.name');
    const repo = scope.repo(ProjectEntity);
    if (await repo.findOneBy(scope.where<ProjectEntity>({ name: clean }))) {
      throw new Conflict(`A project named "${clean}" already exists`);
    }
    return repo.save({ tenantId: scope.tenantId, name: clean });
  }
}
