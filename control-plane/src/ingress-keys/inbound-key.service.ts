import { mintToken } from '@datahub/connectors';
import { ConfigChangeKind } from '@datahub/proto';
import { InboundKeyEntity, SyncEntity } from '../db/base.entities';
import type { ConfigBus } from '../bus/config.publisher';
import type { TenantScope } from '../common/tenant.scope';
import { requireName } from '../common/validate';
import { InvalidInput } from '../common/errors';
import { toGlobalId } from '../common/global-id';

export class InboundKeyService {
  constructor(private readonly bus: ConfigBus, private readonly publicUrl: string) {}

  /** The public webhook URL without a key (the key then goes in the Api-Key header). */
  hooksUrl(): string {
    return `${this.publicUrl.replace(/\/+$/, '')}/hooks`;
  }

  urlFor(key: string): string {
    return `${this.publicUrl.replace(/\/+$/, '')}/hooks/${key}`;
  }

  async create(scope: TenantScope, syncGlobalId: string, name: string) {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'input.syncId');
    const minted = mintToken('dhk');
    const row = await scope.repo(InboundKeyEntity).save({
      tenantId: scope.tenantId, projectId: sync.projectId, syncId: sync.id, name: requireName(name, 'input.name'),
      lookup: minted.lookup, hash: minted.hash, lastUsedAt: null, revokedAt: null,
    });
    await this.bus.publish({ kind: ConfigChangeKind.INBOUND_KEY_CREATED, tenantId: scope.tenantId, syncId: sync.id, keyPrefix: minted.lookup });
    return { key: minted.token, url: this.urlFor(minted.token), row };
  }

  /**
   * A new key for the same sync; the old one keeps working for `overlapSec` so the origin can be
   * switched over without a lost webhook, then expires by itself.
   */
  async rotate(scope: TenantScope, keyGlobalId: string, overlapSec: number) {
    if (!Number.isInteger(overlapSec) || overlapSec < 0 || overlapSec > 30 * 86_400) throw new InvalidInput('overlapSec', 'overlapSec must be between 0 and 2592000 (30 days)');
    const old = await scope.load(InboundKeyEntity, 'InboundKey', keyGlobalId, 'id');
    if (old.revokedAt) throw new InvalidInput('id', 'This key is revoked; create a new one instead');
    const created = await this.create(scope, toGlobalId('Sync', old.syncId), old.name);
    const expiresAt = new Date(Date.now() + overlapSec * 1000);
    if (!old.expiresAt || old.expiresAt > expiresAt) {
      old.expiresAt = expiresAt;
      await scope.repo(InboundKeyEntity).save(old);
    }
    await this.bus.publish({ kind: ConfigChangeKind.INBOUND_KEY_REVOKED, tenantId: scope.tenantId, syncId: old.syncId, keyPrefix: old.lookup });
    return { ...created, previous: old };
  }

  /** Revoked keys stop working on every ingress as soon as it hears ConfigChanged. Idempotent. */
  async revoke(scope: TenantScope, keyGlobalId: string): Promise<InboundKeyEntity> {
    const row = await scope.load(InboundKeyEntity, 'InboundKey', keyGlobalId, 'id');
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await scope.repo(InboundKeyEntity).save(row);
    }
    await this.bus.publish({ kind: ConfigChangeKind.INBOUND_KEY_REVOKED, tenantId: scope.tenantId, syncId: row.syncId, keyPrefix: row.lookup });
    return row;
  }
}
