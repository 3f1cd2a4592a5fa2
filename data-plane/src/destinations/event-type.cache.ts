import { compileEventSchema, type EventValidator } from '@datahub/connectors';
import { ConfigChangeKind, type ConfigChanged } from '@datahub/proto';
import type { Database } from '../store/db.pool';
import { LoadingCache } from '../store/loading.cache';

/** The compiled schema of each (tenant, business event type), for ingress; dropped on DESTINATION_CHANGED of the tenant. */
export class EventTypeCache {
  private readonly validators: LoadingCache<string, EventValidator>;

  constructor(db: Pick<Database, 'query'>, maxAgeMs: number) {
    this.validators = new LoadingCache(async (key) => {
      const [tenantId, name] = key.split('|') as [string, string];
      const { rows: [t] } = await db.query('SELECT schema FROM event_types WHERE tenant_id = $1 AND name = $2', [tenantId, name]);
      if (!t) return null;
      const compiled = compileEventSchema(t.schema);
      return compiled.ok ? compiled.validate : null;
    }, maxAgeMs);
  }

  /** null: the tenant declared no such type (or its schema no longer compiles). */
  validator(tenantId: string, type: string): Promise<EventValidator | null> {
    return this.validators.get(`${tenantId}|${type}`);
  }

  apply(change: ConfigChanged | null): void {
    if (!change) return this.validators.clear();
    if (change.kind !== ConfigChangeKind.DESTINATION_CHANGED) return;
    if (change.tenantId) this.validators.deleteWhere((k) => k.startsWith(`${change.tenantId}|`));
    else this.validators.clear();
  }
}
