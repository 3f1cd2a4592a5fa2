import type { DataSource, EntityTarget, FindOptionsWhere, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { NotFound } from './errors';
import { fromGlobalId, type NodeType } from './global-id';

/**
 * Tenant isolation lives here and only here: every read or write of a tenant-owned row goes
 * through a TenantScope, which adds `tenant_id = <caller's tenant>` to the query. A row of another
 * tenant is indistinguishable from a missing one (NOT_FOUND, never FORBIDDEN).
 */
export class TenantScope {
  constructor(readonly tenantId: string, readonly ds: DataSource) {}

  repo<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E> {
    return this.ds.getRepository(entity);
  }

  where<E extends { tenantId: string | null }>(extra: FindOptionsWhere<E> = {}): FindOptionsWhere<E> {
    return { ...extra, tenantId: this.tenantId } as FindOptionsWhere<E>;
  }

  /** A query builder over the caller's rows of a tenant-owned table (`alias.tenant_id = <tenant>`), for unions and joins. */
  rows<E extends ObjectLiteral & { tenantId: string | null }>(entity: EntityTarget<E>, alias: string): SelectQueryBuilder<E> {
    return this.ds.getRepository(entity).createQueryBuilder(alias).where(`${alias}.tenantId = :scopeTenantId`, { scopeTenantId: this.tenantId });
  }

  /** Loads a row by its global id, or NOT_FOUND when it does not exist for this tenant. */
  async load<E extends { id: string; tenantId: string }>(
    entity: EntityTarget<E>, type: NodeType, globalId: string, field: string,
  ): Promise<E> {
    return this.loadRaw(entity, type, fromGlobalId(type, globalId, field));
  }

  async loadRaw<E extends { id: string; tenantId: string | null }>(entity: EntityTarget<E>, type: NodeType, id: string): Promise<E> {
    const row = await this.ds.getRepository(entity).findOneBy(this.where<E>({ id } as FindOptionsWhere<E>));
    if (!row) throw new NotFound(type);
    return row;
  }
}
