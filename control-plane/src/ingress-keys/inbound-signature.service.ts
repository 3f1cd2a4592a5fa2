import { fingerprint, sealSecret, signatureSecretAad, type Keyring } from '@datahub/connectors';
import { ConfigChangeKind } from '@datahub/proto';
import { randomBytes, randomUUID } from 'node:crypto';
import { IsNull, MoreThan } from 'typeorm';
import type { ConfigBus } from '../bus/config.publisher';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { SignatureSecretEntity, SyncEntity } from '../db/base.entities';
import type { AddInboundSignatureSecretInput, SetInboundSignatureInput } from './inbound-signature.types';

/** Per-sync inbound signature verification: the scheme on the sync, the secrets sealed beside it. */
export class InboundSignatureService {
  constructor(private readonly keyring: Keyring, private readonly bus: ConfigBus) {}

  async set(scope: TenantScope, input: SetInboundSignatureInput): Promise<SyncEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', input.syncId, 'input.syncId');
    const header = input.scheme === 'hmac_sha256_hex' ? (input.header ?? 'X-Signature') : null;
    if (header && !/^[A-Za-z0-9-]{1,64}$/.test(header)) throw new InvalidInput('input.header', 'header must be an HTTP header name');
    if (input.toleranceSec < 10 || input.toleranceSec > 3600) throw new InvalidInput('input.toleranceSec', 'toleranceSec must be between 10 and 3600');
    sync.signature = { scheme: input.scheme, header: header?.toLowerCase() ?? null, toleranceSec: input.toleranceSec };
    const saved = await scope.repo(SyncEntity).save(sync);
    await this.changed(scope, sync.id);
    return saved;
  }

  async disable(scope: TenantScope, syncGlobalId: string): Promise<SyncEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    sync.signature = null;
    const saved = await scope.repo(SyncEntity).save(sync);
    await this.changed(scope, sync.id);
    return saved;
  }

  /** Adds a secret (rotation: old and new both verify until the old ones expire). */
  async addSecret(scope: TenantScope, input: AddInboundSignatureSecretInput): Promise<{ secret: string; row: SignatureSecretEntity }> {
    const sync = await scope.load(SyncEntity, 'Sync', input.syncId, 'input.syncId');
    if (!sync.signature) throw new InvalidInput('input.syncId', 'Set a signature scheme on the sync first (setInboundSignature)');
    const secret = input.secret ?? (sync.signature.scheme === 'standard_webhooks' ? `whsec_${randomBytes(24).toString('base64')}` : randomBytes(32).toString('hex'));
    if (secret.length < 16 || secret.length > 256) throw new InvalidInput('input.secret', 'secret must be 16..256 characters');
    const repo = scope.repo(SignatureSecretEntity);
    if (input.retireOthersAfterSec !== undefined && input.retireOthersAfterSec !== null) {
      if (input.retireOthersAfterSec < 0) throw new InvalidInput('input.retireOthersAfterSec', 'retireOthersAfterSec must not be negative');
      const at = new Date(Date.now() + input.retireOthersAfterSec * 1000);
      await repo.update(scope.where<SignatureSecretEntity>({ syncId: sync.id, expiresAt: IsNull() }), { expiresAt: at });
    }
    const id = randomUUID();
    const sealed = sealSecret(this.keyring, secret, signatureSecretAad(scope.tenantId, id));
    const saved = await repo.save({
      id, tenantId: scope.tenantId, syncId: sync.id, fingerprint: fingerprint(secret), expiresAt: null,
      secretCiphertext: sealed.ciphertext, keyId: sealed.keyId,
    });
    await this.changed(scope, sync.id);
    return { secret, row: saved };
  }

  async activeSecrets(scope: TenantScope, syncId: string): Promise<SignatureSecretEntity[]> {
    const repo = scope.repo(SignatureSecretEntity);
    return repo.find({
      where: [scope.where<SignatureSecretEntity>({ syncId, expiresAt: IsNull() }), scope.where<SignatureSecretEntity>({ syncId, expiresAt: MoreThan(new Date()) })],
      order: { createdAt: 'ASC' },
    });
  }

  private async changed(scope: TenantScope, syncId: string): Promise<void> {
    await this.bus.publish({ kind: ConfigChangeKind.SIGNATURE_CHANGED, tenantId: scope.tenantId, syncId });
  }
}
