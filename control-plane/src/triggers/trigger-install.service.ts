import { connectorRegistry, headerOf, readPath, type ConnectorClient, type HttpResult } from '@datahub/connectors';
import { InboundKeyEntity, SyncEntity, SyncVersionEntity } from '../db/base.entities';
import type { TenantScope } from '../common/tenant.scope';
import { Conflict, DomainError, InvalidInput } from '../common/errors';
import { toGlobalId } from '../common/global-id';
import type { InboundKeyService } from '../ingress-keys/inbound-key.service';
import type { SyncDefinition } from '../syncs/sync.definition';
import { SyncTriggerEntity } from './sync-trigger.entity';

const registry = connectorRegistry();

/** Replaces "{{url}}" and "{{name}}" in every string of the manifest's body template. */
function fill(template: unknown, vars: Record<string, string>): unknown {
  if (typeof template === 'string') return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
  if (Array.isArray(template)) return template.map((t) => fill(t, vars));
  if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, vars)]));
  return template;
}

/** The remote id: `header:<name>` (Copernica answers with an empty body and X-Created) or a dot path into the JSON. */
function remoteIdOf(r: HttpResult, idPath: string): unknown {
  return idPath.startsWith('header:') ? headerOf(r, idPath.slice('header:'.length)) : readPath(r.json, idPath);
}

const ok = (r: HttpResult) => r.status !== null && r.status >= 200 && r.status < 300;

/**
 * installTrigger: where the origin's manifest declares `triggerInstall`, the hub registers its own
 * inbound URL there (with a key minted for it) and keeps the remote id, so revoking that key,
 * archiving the sync or uninstallTrigger removes the registration again.
 */
export class TriggerInstallService {
  constructor(private readonly client: ConnectorClient, private readonly inboundKeys: InboundKeyService) {}

  async find(scope: TenantScope, syncId: string): Promise<SyncTriggerEntity | null> {
    return scope.repo(SyncTriggerEntity).findOneBy(scope.where<SyncTriggerEntity>({ syncId }));
  }

  async install(scope: TenantScope, syncGlobalId: string): Promise<SyncTriggerEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    if (sync.archivedAt) throw new Conflict('The sync is archived: unarchiveSync first');
    const existing = await this.find(scope, sync.id);
    if (existing) return existing;
    const versions = await scope.repo(SyncVersionEntity).find({ where: scope.where<SyncVersionEntity>({ syncId: sync.id }), order: { version: 'DESC' } });
    const version = versions.find((v) => v.version === sync.activeVersion) ?? versions[0];
    const def = version?.definition as SyncDefinition | undefined;
    const source = def?.source;
    const spec = source ? registry.get(source.connector)?.triggerInstall : undefined;
    if (!source || !spec) {
      throw new DomainError('TRIGGER_MANUAL', `${source ? `The origin ${source.connector}` : 'This sync has no origin and'} has no webhooks API the hub can call: paste the settings in Sync.triggerSetup into the platform instead`, { see: 'Sync.triggerSetup' });
    }
    if (def!.trigger.kind !== 'notify' || def!.trigger.idParam !== spec.idParam) {
      throw new InvalidInput('syncId', `${source.connector} calls the hub with the record id in "${spec.idParam}": give the sync trigger {kind: NOTIFY, idParam: "${spec.idParam}"} (updateSync), then installTrigger`);
    }
    const minted = await this.inboundKeys.create(scope, syncGlobalId, `trigger:${source.connector}`);
    const endpoint = { connector: source.connector, credentialId: source.credentialId, baseUrl: source.baseUrl, params: source.params ?? {} };
    let r: HttpResult;
    try {
      r = await this.client.call(endpoint, spec.operation, {}, fill(spec.body, { ...endpoint.params, url: minted.url, name: `Data Hub: ${sync.name}` }));
    } catch (e) {
      r = { status: null, headers: null, text: '', json: undefined, durationMs: 0, error: (e as Error).message, phase: 'local' };
    }
    const remoteId = ok(r) ? remoteIdOf(r, spec.idPath) : undefined;
    if (remoteId === undefined || remoteId === null || remoteId === '') {
      await this.inboundKeys.revoke(scope, toGlobalId('InboundKey', minted.row.id));
      const why = r.status === null ? `no answer (${r.error ?? 'unknown'})` : ok(r) ? `no id at ${spec.idPath}` : `HTTP ${r.status}: ${r.text.slice(0, 200)}`;
      throw new DomainError('UPSTREAM_REFUSED', `${source.connector} did not register the webhook: ${why}. Check the sync's source credential (testCredential) and retry`, { status: r.status });
    }
    return scope.repo(SyncTriggerEntity).save({
      tenantId: scope.tenantId, syncId: sync.id, inboundKeyId: minted.row.id, connector: source.connector,
      remoteId: String(remoteId), urlMasked: this.inboundKeys.urlFor(`${minted.key.slice(0, 8)}…`),
    });
  }

  /**
   * Removes the registration at the origin and forgets it; `revokeKey` also revokes the key minted
   * for it (not when the key's revocation is what brought us here). A webhook already gone there
   * (404) counts as removed; any other refusal keeps the row and throws, so it can be retried.
   */
  async uninstall(scope: TenantScope, syncId: string, revokeKey: boolean): Promise<SyncTriggerEntity | null> {
    const row = await this.find(scope, syncId);
    if (!row) return null;
    const sync = await scope.loadRaw(SyncEntity, 'Sync', syncId);
    const versions = await scope.repo(SyncVersionEntity).find({ where: scope.where<SyncVersionEntity>({ syncId }), order: { version: 'DESC' } });
    const source = ((versions.find((v) => v.version === sync.activeVersion) ?? versions[0])?.definition as SyncDefinition | undefined)?.source;
    const spec = registry.get(row.connector)?.triggerInstall;
    if (source && spec) {
      const endpoint = { connector: row.connector, credentialId: source.credentialId, baseUrl: source.baseUrl, params: source.params ?? {} };
      let r: HttpResult;
      try {
        r = await this.client.call(endpoint, spec.deleteOperation, { id: row.remoteId });
      } catch (e) {
        r = { status: null, headers: null, text: '', json: undefined, durationMs: 0, error: (e as Error).message, phase: 'local' };
      }
      if (!ok(r) && r.status !== 404) {
        throw new DomainError('UPSTREAM_REFUSED', `${row.connector} did not remove webhook ${row.remoteId}: ${r.status === null ? r.error : `HTTP ${r.status}`}; retry uninstallTrigger`, { status: r.status });
      }
    }
    await scope.repo(SyncTriggerEntity).delete(scope.where<SyncTriggerEntity>({ id: row.id }));
    if (revokeKey) await this.inboundKeys.revoke(scope, toGlobalId('InboundKey', row.inboundKeyId));
    return row;
  }

  /**
   * For archiveSync and revokeInboundKey, which must not fail because the origin is down: the
   * outcome is a value; on a refusal the row stays (Sync.installedTrigger shows it) and
   * uninstallTrigger retries. The origin's calls meanwhile are refused by the hub (key revoked or
   * sync archived), so nothing is processed through it.
   */
  async removeQuietly(scope: TenantScope, syncId: string, revokeKey: boolean): Promise<{ removed: boolean; error?: string }> {
    try {
      return { removed: (await this.uninstall(scope, syncId, revokeKey)) !== null };
    } catch (e) {
      if (e instanceof DomainError && e.code === 'UPSTREAM_REFUSED') return { removed: false, error: e.message };
      throw e;
    }
  }

  /** The key an installed trigger calls with was revoked: the registration goes too. */
  async keyRevoked(scope: TenantScope, key: InboundKeyEntity): Promise<{ removed: boolean; error?: string }> {
    const row = await scope.repo(SyncTriggerEntity).findOneBy(scope.where<SyncTriggerEntity>({ inboundKeyId: key.id }));
    return row ? this.removeQuietly(scope, row.syncId, false) : { removed: false };
  }
}
