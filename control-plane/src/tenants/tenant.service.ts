import type { DataSource } from 'typeorm';
import { ProjectEntity, TenantEntity } from '../db/base.entities';
import type { ApiTokenService } from '../auth/api-token.service';
import type { TenantScope } from '../common/tenant.scope';
import { Conflict } from '../common/errors';
import { requireName } from '../common/validate';

export class TenantService {
  constructor(private readonly ds: DataSource, private readonly tokens: ApiTokenService) {}

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
