import { mintToken } from '@datahub/connectors';
import { ConfigChangeKind } from '@datahub/proto';
import { InboundKeyEntity, SyncEntity } from '../db/base.entities';
import type { ConfigBus } from '../bus/config.publisher';
import type { TenantScope } from '../common/tenant.scope';
import { requireName } from '../common/validate';

export class InboundKeyService {
  constructor(private readonly bus: ConfigBus, private readonly publicUrl: string) {}

  async create(scope: TenantScope, syncGlobalId: string, name: string) {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'input.syncId');
    const minted = mintToken('dhk');
    const row = await scope.repo(InboundKeyEntity).save({
      tenantId: scope.tenantId, projectId: sync.projectId, syncId: sync.id, name: requireName(name, 'input.name'),
      lookup: minted.lookup, hash: minted.hash, lastUsedAt: null, revokedAt: null,
    });
    await this.bus.publish({ kind: ConfigChangeKind.INBOUND_KEY_CREATED, tenantId: scope.tenantId, syncId: sync.id, keyPrefix: minted.lookup });
    return { key: minted.token, url: `${this.publicUrl.replace(/\/+$/, '')}/hooks/${minted.token}`, row };
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
