import {
  credentialAad, fingerprint, sealSecret, type ConnectorClient, type Keyring,
} from '@datahub/connectors';
import { ConfigChangeKind } from '@datahub/proto';
import { randomUUID } from 'node:crypto';
import type { ConfigBus } from '../bus/config.publisher';
import { CredentialEntity } from '../db/base.entities';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { requireName, requireText } from '../common/validate';
import { resolveParams, type SyncValidator } from '../syncs/sync.validate';
import { secretFromInput } from './credential.secrets';
import { withStatus } from './credential.status';
import type { CreateCredentialInput, CredentialSecretInput, TestCredentialInput } from './credential.types';

export class CredentialService {
  constructor(
    private readonly keyring: Keyring,
    private readonly allowHosts: Set<string>,
    private readonly client: ConnectorClient,
    private readonly bus: ConfigBus,
    private readonly validator: SyncValidator,
  ) {}

  async create(scope: TenantScope, input: CreateCredentialInput): Promise<CredentialEntity> {
    const name = requireName(input.name, 'input.name');
    const secret = secretFromInput(input, this.allowHosts);
    const id = randomUUID();
    const now = new Date();
    return scope.repo(CredentialEntity).save({
      id, tenantId: scope.tenantId, name, kind: secret.kind, ...this.seal(scope, id, JSON.stringify(secret)),
      createdAt: now, updatedAt: now, lastUsedAt: null, status: 'active', statusReason: null, statusChangedAt: null, expiresAt: null, rotatedAt: null, lastTest: null,
    });
  }

  /**
   * Replaces the secret without downtime: the row keeps its id, so every sync keeps using it;
   * workers drop their cached copy on ConfigChanged and in-flight calls finish with the old one.
   */
  async rotate(scope: TenantScope, credentialGlobalId: string, input: CredentialSecretInput): Promise<{ before: CredentialEntity; after: CredentialEntity }> {
    const row = await scope.load(CredentialEntity, 'Credential', credentialGlobalId, 'id');
    const before = { ...row };
    const secret = secretFromInput(input, this.allowHosts, 'secret');
    if (secret.kind !== row.kind) throw new InvalidInput('secret', `This is a ${row.kind} credential; rotate it with a ${row.kind} secret (create a new credential to change kind)`);
    const now = new Date();
    Object.assign(row, this.seal(scope, row.id, JSON.stringify(secret)), { rotatedAt: now, updatedAt: now }, withStatus(row, 'active', null, now));
    const after = await scope.repo(CredentialEntity).save(row);
    await this.bus.publish({ kind: ConfigChangeKind.CREDENTIAL_CHANGED, tenantId: scope.tenantId, credentialId: row.id });
    return { before, after };
  }

  /** One cheap authenticated call through the connector's test operation; the outcome is kept on the credential. */
  async test(scope: TenantScope, input: TestCredentialInput): Promise<CredentialEntity> {
    const row = await scope.load(CredentialEntity, 'Credential', input.credentialId, 'input.credentialId');
    const testOp = this.validator.testOperation(input.connector, 'input');
    const manifest = this.validator.operation(input.connector, testOp, 'input', ['test']);
    this.validator.authFits(manifest, row.kind, 'input.credentialId');
    const params = resolveParams(manifest.params ?? {}, input.params ?? {}, 'input.params');
    const endpoint = { connector: manifest.id, credentialId: row.id, baseUrl: requireText(input.baseUrl, 'input.baseUrl', 2048).replace(/\/+$/, ''), params };
    let outcome: { ok: boolean; status: number | null; message: string };
    try {
      const r = await this.client.call(endpoint, testOp, {});
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      outcome = { ok, status: r.status, message: ok ? `${manifest.name} accepted the credential` : r.status === null ? `No answer: ${r.error}` : `${manifest.name} answered HTTP ${r.status}: ${r.text.slice(0, 200)}` };
    } catch (e) {
      outcome = { ok: false, status: null, message: (e as Error).message };
    }
    row.lastTest = { ...outcome, at: new Date().toISOString() };
    // Only an authentication refusal says the credential is wrong; a 5xx or no answer says nothing about it.
    if (outcome.status === 401 || outcome.status === 403) Object.assign(row, withStatus(row, 'failing', outcome.message));
    else if (outcome.ok) Object.assign(row, withStatus(row, 'active', null));
    return scope.repo(CredentialEntity).save(row);
  }

  private seal(scope: TenantScope, id: string, plaintext: string) {
    const sealed = sealSecret(this.keyring, plaintext, credentialAad(scope.tenantId, id));
    return { secretCiphertext: sealed.ciphertext, keyId: sealed.keyId, fingerprint: fingerprint(plaintext) };
  }
}
