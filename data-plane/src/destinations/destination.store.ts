import { destinationHeadersAad, destinationSecretAad, openSecret, type Keyring } from '@datahub/connectors';
import { ConfigChangeKind, type ConfigChanged } from '@datahub/proto';
import type { Database } from '../store/db.pool';
import { LoadingCache } from '../store/loading.cache';

export interface DestinationConfig {
  id: string;
  tenantId: string;
  url: string;
  /** Decrypted custom headers (kept in memory only). */
  headers: Record<string, string>;
  timeoutMs: number;
  hmacHeader: string;
  batchMaxEvents: number;
  batchMaxWaitMs: number;
  enabled: boolean;
  secrets: { value: string; expiresAtMs: number | null }[];
}

interface Subscriber {
  id: string;
  resourceTypes: string[];
  eventTypes: string[];
}

/** What the destination consumer knows of destinations: loaded once, dropped on ConfigChanged (DESTINATION_CHANGED) or max age. */
export class DestinationStore {
  private readonly destinations: LoadingCache<string, DestinationConfig>;
  private readonly subscribers: LoadingCache<string, Subscriber[]>;

  constructor(db: Pick<Database, 'query'>, keyring: Keyring, maxAgeMs: number) {
    this.destinations = new LoadingCache(async (id) => {
      const { rows: [d] } = await db.query(
        `SELECT id, tenant_id, url, headers_ciphertext, headers_key_id, timeout_ms, hmac_header, batch_max_events, batch_max_wait_ms, enabled
           FROM destinations WHERE id = $1`, [id]);
      if (!d) return null;
      const { rows } = await db.query(
        `SELECT id, secret_ciphertext, key_id, expires_at FROM destination_secrets
          WHERE destination_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at, id`, [id]);
      return {
        id: d.id, tenantId: d.tenant_id, url: d.url, timeoutMs: d.timeout_ms, hmacHeader: d.hmac_header,
        batchMaxEvents: d.batch_max_events, batchMaxWaitMs: d.batch_max_wait_ms, enabled: d.enabled,
        headers: d.headers_ciphertext ? JSON.parse(openSecret(keyring, { keyId: d.headers_key_id, ciphertext: d.headers_ciphertext }, destinationHeadersAad(d.tenant_id, d.id))) : {},
        secrets: rows.map((r) => ({
          value: openSecret(keyring, { keyId: r.key_id, ciphertext: r.secret_ciphertext }, destinationSecretAad(d.tenant_id, r.id)),
          expiresAtMs: r.expires_at ? new Date(r.expires_at).getTime() : null,
        })),
      };
    }, maxAgeMs);
    this.subscribers = new LoadingCache(async (tenantId) => {
      const { rows } = await db.query('SELECT id, resource_types, event_types FROM destinations WHERE tenant_id = $1 AND enabled', [tenantId]);
      return rows.map((r) => ({ id: r.id, resourceTypes: r.resource_types, eventTypes: r.event_types }));
    }, maxAgeMs);
  }

  destination(id: string): Promise<DestinationConfig | null> {
    return this.destinations.get(id);
  }

  /** Enabled destinations of the tenant whose filter takes the type (an empty filter takes all). */
  async subscribed(tenantId: string, stream: string, type: string): Promise<string[]> {
    const all = (await this.subscribers.get(tenantId)) ?? [];
    return all.filter((s) => {
      const filter = stream === 'business_event' ? s.eventTypes : s.resourceTypes;
      return filter.length === 0 || filter.includes(type);
    }).map((s) => s.id);
  }

  /** Secrets signing at `nowMs`, oldest first. */
  static activeSecrets(d: DestinationConfig, nowMs = Date.now()): string[] {
    return d.secrets.filter((s) => s.expiresAtMs === null || s.expiresAtMs > nowMs).map((s) => s.value);
  }

  forget(id: string, tenantId: string): void {
    this.destinations.delete(id);
    this.subscribers.delete(tenantId);
  }

  apply(change: ConfigChanged | null): void {
    if (!change || change.kind !== ConfigChangeKind.DESTINATION_CHANGED) {
      if (!change) {
        this.destinations.clear();
        this.subscribers.clear();
      }
      return;
    }
    if (change.destinationId) this.destinations.delete(change.destinationId);
    else this.destinations.clear();
    if (change.tenantId) this.subscribers.delete(change.tenantId);
    else this.subscribers.clear();
  }
}
