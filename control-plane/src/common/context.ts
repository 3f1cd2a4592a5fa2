import type { DataSource } from 'typeorm';
import { Forbidden, Unauthenticated } from './errors';
import { TenantScope } from './tenant.scope';
import type { Services } from './services';
import { AuditTrail } from '../audit/audit.trail';
import { createLoaders, type Loaders } from './loaders';

export type Scope = 'read' | 'write' | 'admin';

export type Principal =
  | { kind: 'operator' }
  | { kind: 'tenant'; tenantId: string; tokenId: string; scopes: Scope[] };

/** Per-request context handed to every resolver. */
export class RequestContext {
  readonly audit = new AuditTrail();
  private batch?: Loaders;

  /** Batch loaders of this request, tenant-scoped. */
  get loaders(): Loaders {
    this.batch ??= createLoaders(this.ds, () => this.tenant().tenantId);
    return this.batch;
  }

  constructor(
    readonly principal: Principal | null,
    readonly ds: DataSource,
    readonly services: Services,
    readonly requestId: string,
  ) {}

  /** The caller's tenant scope; anonymous callers get UNAUTHENTICATED, operators FORBIDDEN (they act on no tenant). */
  tenant(needs: Scope = 'read'): TenantScope {
    const p = this.principal;
    if (!p) throw new Unauthenticated();
    if (p.kind !== 'tenant') throw new Forbidden('This operation needs a tenant API token, not an operator token');
    if (!p.scopes.includes(needs) && !p.scopes.includes('admin')) {
      throw new Forbidden(`This operation needs the ${needs} scope`);
    }
    return new TenantScope(p.tenantId, this.ds);
  }

  requireOperator(): void {
    if (!this.principal) throw new Unauthenticated();
    if (this.principal.kind !== 'operator') throw new Forbidden('This operation needs an operator token');
  }
}
