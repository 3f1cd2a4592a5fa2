import { openSecret, parseEgressProxy, signatureSecretAad, type CredentialSecret, type CredentialVault, type EgressProxy, type Keyring } from '@datahub/connectors';
import type { SignatureScheme } from '../ingress/signature.verify';
import { ConfigChangeKind, fromBinary, SyncPlanSchema, type ConfigChanged, type SyncPlan } from '@datahub/proto';
import type { Database } from './db.pool';
import { LoadingCache } from './loading.cache';

export interface InboundKeyRecord {
  id: string;
  lookup: string;
  hash: string;
  tenantId: string;
  projectId: string;
  syncId: string;
  activeVersion: number | null;
  /** The sync is paused: ingress refuses its webhooks. */
  paused: boolean;
  /** Set when the key was rotated: it stops working then. */
  expiresAtMs: number | null;
}

const NONE: string[] = [];

/** A tenant's monthly quota and how much of it is used (received events this calendar month, UTC). */
export interface QuotaState {
  quota: number;
  used: number;
  /** true: refuse at 100 % (429 quota_exceeded); false: only report. */
  enforced: boolean;
}

export interface SyncSignature {
  scheme: SignatureScheme;
  header: string | null;
  toleranceSec: number;
  secrets: { value: string; expiresAtMs: number | null }[];
}

/**
 * What the data plane knows of the configuration: inbound keys, compiled plans and decrypted
 * credentials, each loaded once and kept until ConfigChanged (or the max age) drops it.
 * Nothing on the request path queries configuration once it is warm.
 */
export class ConfigStore {
  private readonly keys: LoadingCache<string, InboundKeyRecord>;
  private readonly plans: LoadingCache<string, SyncPlan>;
  private readonly credentials: LoadingCache<string, CredentialSecret>;
  private readonly signatures: LoadingCache<string, SyncSignature>;
  private readonly quotas: LoadingCache<string, QuotaState>;
  private readonly redactions: LoadingCache<string, string[]>;
  private readonly proxies: LoadingCache<string, EgressProxy>;

  constructor(pool: Pick<Database, 'query'>, vault: CredentialVault, keyring: Keyring, maxAgeMs: number, quotaRefreshMs = 10_000, allowHosts: Set<string> = new Set()) {
    this.proxies = new LoadingCache(async (tenantId) => {
      const { rows: [t] } = await pool.query('SELECT egress_proxy_url FROM tenants WHERE id = $1', [tenantId]);
      if (!t?.egress_proxy_url) return null;
      // Checked again here: the policy (allow-list) may have changed since it was stored.
      const parsed = parseEgressProxy(t.egress_proxy_url, false, allowHosts);
      return parsed.ok ? parsed.proxy : null;
    }, maxAgeMs);
    // Refreshed every quotaRefreshMs: usage moves on its own, without a ConfigChanged.
    this.quotas = new LoadingCache(async (tenantId) => {
      const { rows: [r] } = await pool.query(
        `SELECT s.monthly_event_quota AS quota, s.quota_enforced AS enforced,
                (SELECT COALESCE(sum(u.received), 0) FROM usage_hourly u
                  WHERE u.tenant_id = s.tenant_id AND u.hour >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS used
           FROM tenant_usage_settings s WHERE s.tenant_id = $1 AND s.monthly_event_quota IS NOT NULL`,
        [tenantId],
      );
      return r ? { quota: Number(r.quota), used: Number(r.used), enforced: r.enforced } : null;
    }, quotaRefreshMs);
    this.redactions = new LoadingCache(async (tenantId) => {
      const { rows: [r] } = await pool.query('SELECT sensitive_fields FROM tenant_usage_settings WHERE tenant_id = $1', [tenantId]);
      return (r?.sensitive_fields as string[] | undefined) ?? [];
    }, maxAgeMs);
    this.keys = new LoadingCache(async (lookup) => {
      const { rows } = await pool.query(
        `SELECT k.id, k.lookup, k.hash, k.tenant_id, k.project_id, k.sync_id, k.expires_at, s.active_version, s.paused_at
           FROM inbound_keys k JOIN syncs s ON s.id = k.sync_id
          WHERE k.lookup = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
        [lookup],
      );
      const r = rows[0];
      return r ? { id: r.id, lookup: r.lookup, hash: r.hash, tenantId: r.tenant_id, projectId: r.project_id, syncId: r.sync_id, activeVersion: r.active_version, paused: r.paused_at !== null, expiresAtMs: r.expires_at ? new Date(r.expires_at).getTime() : null } : null;
    }, maxAgeMs);
    this.plans = new LoadingCache(async (key) => {
      const [syncId, version] = key.split('@');
      const { rows } = await pool.query('SELECT plan FROM sync_plans WHERE sync_id = $1 AND version = $2', [syncId, Number(version)]);
      return rows[0] ? fromBinary(SyncPlanSchema, rows[0].plan as Buffer) : null;
    }, maxAgeMs);
    this.credentials = new LoadingCache((id) => vault.load(id), maxAgeMs);
    this.signatures = new LoadingCache(async (syncId) => {
      const { rows: [sync] } = await pool.query('SELECT tenant_id, signature FROM syncs WHERE id = $1', [syncId]);
      if (!sync?.signature) return null;
      const { rows } = await pool.query(
        `SELECT id, secret_ciphertext, key_id, expires_at FROM sync_signature_secrets
          WHERE sync_id = $1 AND (expires_at IS NULL OR expires_at > now())`,
        [syncId],
      );
      return {
        ...sync.signature,
        secrets: rows.map((r) => ({
          value: openSecret(keyring, { keyId: r.key_id, ciphertext: r.secret_ciphertext }, signatureSecretAad(sync.tenant_id, r.id)),
          expiresAtMs: r.expires_at ? new Date(r.expires_at).getTime() : null,
        })),
      };
    }, maxAgeMs);
  }

  inboundKey(lookup: string): Promise<InboundKeyRecord | null> {
    return this.keys.get(lookup);
  }

  /** Plans are immutable per (sync, version), so a cached plan is never stale. */
  plan(syncId: string, version: number): Promise<SyncPlan | null> {
    return this.plans.get(`${syncId}@${version}`);
  }

  credential(id: string): Promise<CredentialSecret | null> {
    return this.credentials.get(id);
  }

  signature(syncId: string): Promise<SyncSignature | null> {
    return this.signatures.get(syncId);
  }

  /** The tenant's monthly quota and its use, or null without a quota; at most quotaRefreshMs old. */
  quota(tenantId: string): Promise<QuotaState | null> {
    return this.quotas.get(tenantId);
  }

  /** Field names the tenant wants redacted in delivery-log excerpts (the same array until it changes). */
  async sensitiveFields(tenantId: string): Promise<string[]> {
    return (await this.redactions.get(tenantId)) ?? NONE;
  }

  /** The tenant's own egress proxy, or null (then the operator's, if any, is used). */
  egressProxy(tenantId: string): Promise<EgressProxy | null> {
    return this.proxies.get(tenantId);
  }

  /** After this process refreshed a credential's tokens. */
  replaceCredential(id: string, secret: CredentialSecret): void {
    this.credentials.set(id, secret);
  }

  /** `null` means "anything may have changed" (e.g. after a reconnect). */
  apply(change: ConfigChanged | null): void {
    if (!change) {
      this.proxies.clear();
      this.keys.clear();
      this.credentials.clear();
      this.signatures.clear();
      this.quotas.clear();
      this.redactions.clear();
      return;
    }
    switch (change.kind) {
      case ConfigChangeKind.INBOUND_KEY_CREATED:
      case ConfigChangeKind.INBOUND_KEY_REVOKED:
        this.keys.delete(change.keyPrefix);
        break;
      case ConfigChangeKind.SYNC_ACTIVATED:
      case ConfigChangeKind.SYNC_DEACTIVATED:
        // Keys carry the sync's active version and whether it is paused.
        this.keys.clear();
        break;
      case ConfigChangeKind.CREDENTIAL_CHANGED:
        this.credentials.delete(change.credentialId);
        break;
      case ConfigChangeKind.SIGNATURE_CHANGED:
        this.signatures.delete(change.syncId);
        break;
      case ConfigChangeKind.TENANT_SETTINGS_CHANGED:
        this.proxies.delete(change.tenantId);
        this.quotas.delete(change.tenantId);
        this.redactions.delete(change.tenantId);
        break;
      case ConfigChangeKind.DESTINATION_CHANGED:
        // Destinations and event types have their own caches (destinations/destination.store.ts).
        break;
      default:
        this.proxies.clear();
        this.keys.clear();
        this.credentials.clear();
        this.signatures.clear();
        this.quotas.clear();
        this.redactions.clear();
    }
  }
}
