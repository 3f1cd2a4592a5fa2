import { destinationHeadersAad, destinationSecretAad, fingerprint, openSecret, sealSecret, webhookPayload, type Keyring, type WebhookSender } from '@datahub/connectors';
import { ConfigChangeKind } from '@datahub/proto';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, MoreThan } from 'typeorm';
import type { ConfigBus } from '../bus/config.publisher';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { DestinationEntity, DestinationSecretEntity } from './destination.entity';
import { checkHeaders, checkName, checkRange, checkSignatureHeader, checkTypes, checkUrl, DESTINATION_DEFAULTS } from './destination.rules';
import type { CreateDestinationInput, UpdateDestinationInput, WebhookTestResult } from './destination.types';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Webhook destinations: configuration, sealed headers and signing secrets, and the test webhook. */
export class DestinationService {
  constructor(private readonly keyring: Keyring, private readonly allowHosts: Set<string>, private readonly bus: ConfigBus, private readonly sender: WebhookSender) {}

  async create(scope: TenantScope, input: CreateDestinationInput): Promise<{ row: DestinationEntity; secret: string }> {
    const id = randomUUID();
    const headers = checkHeaders(input.headers ?? [], 'input.headers');
    const row: DestinationEntity = {
      id, tenantId: scope.tenantId, name: checkName(input.name, 'input.name'), url: checkUrl(input.url, this.allowHosts, 'input.url'),
      headersCiphertext: null, headersKeyId: null, headerNames: Object.keys(headers),
      timeoutMs: checkRange(input.timeoutMs ?? DESTINATION_DEFAULTS.timeoutMs, 100, 30_000, 'input.timeoutMs'),
      resourceTypes: checkTypes(input.resourceTypes ?? [], 'input.resourceTypes'), eventTypes: checkTypes(input.eventTypes ?? [], 'input.eventTypes'),
      hmacHeader: checkSignatureHeader(input.signatureHeader ?? DESTINATION_DEFAULTS.signatureHeader, 'input.signatureHeader'),
      batchMaxEvents: checkRange(input.batchMaxEvents ?? DESTINATION_DEFAULTS.batchMaxEvents, 1, 500, 'input.batchMaxEvents'),
      batchMaxWaitMs: checkRange(input.batchMaxWaitMs ?? DESTINATION_DEFAULTS.batchMaxWaitMs, 10, 60_000, 'input.batchMaxWaitMs'),
      enabled: input.enabled ?? true, disabledReason: input.enabled === false ? 'created disabled' : null, failingSince: null,
      createdAt: new Date(), updatedAt: new Date(),
    };
    this.sealHeaders(scope, row, headers);
    const secret = newSecret();
    await scope.ds.transaction(async (m) => {
      await m.getRepository(DestinationEntity).insert(row);
      await m.getRepository(DestinationSecretEntity).insert(this.secretRow(scope, id, secret));
    });
    await this.changed(scope, id);
    return { row: await scope.loadRaw(DestinationEntity, 'Destination', id), secret };
  }

  async update(scope: TenantScope, input: UpdateDestinationInput): Promise<{ before: DestinationEntity; after: DestinationEntity }> {
    const row = await scope.load(DestinationEntity, 'Destination', input.id, 'input.id');
    const before = { ...row };
    if (input.name != null) row.name = checkName(input.name, 'input.name');
    if (input.url != null) row.url = checkUrl(input.url, this.allowHosts, 'input.url');
    if (input.headers != null) this.sealHeaders(scope, row, checkHeaders(input.headers, 'input.headers'));
    if (input.timeoutMs != null) row.timeoutMs = checkRange(input.timeoutMs, 100, 30_000, 'input.timeoutMs');
    if (input.resourceTypes != null) row.resourceTypes = checkTypes(input.resourceTypes, 'input.resourceTypes');
    if (input.eventTypes != null) row.eventTypes = checkTypes(input.eventTypes, 'input.eventTypes');
    if (input.signatureHeader != null) row.hmacHeader = checkSignatureHeader(input.signatureHeader, 'input.signatureHeader');
    if (input.batchMaxEvents != null) row.batchMaxEvents = checkRange(input.batchMaxEvents, 1, 500, 'input.batchMaxEvents');
    if (input.batchMaxWaitMs != null) row.batchMaxWaitMs = checkRange(input.batchMaxWaitMs, 10, 60_000, 'input.batchMaxWaitMs');
    row.updatedAt = new Date();
    const after = await scope.repo(DestinationEntity).save(row);
    await this.changed(scope, row.id);
    return { before, after };
  }

  /** The on/off switch; enabling also forgets an automatic disable and its failing streak. */
  async setEnabled(scope: TenantScope, globalId: string, enabled: boolean): Promise<DestinationEntity> {
    const row = await scope.load(DestinationEntity, 'Destination', globalId, 'id');
    if (row.enabled === enabled) return row;
    Object.assign(row, { enabled, disabledReason: enabled ? null : 'disabled by a person', failingSince: null, updatedAt: new Date() });
    const saved = await scope.repo(DestinationEntity).save(row);
    await this.changed(scope, row.id);
    return saved;
  }

  async delete(scope: TenantScope, globalId: string): Promise<DestinationEntity> {
    const row = await scope.load(DestinationEntity, 'Destination', globalId, 'id');
    await scope.repo(DestinationEntity).delete(scope.where<DestinationEntity>({ id: row.id }));
    await this.changed(scope, row.id);
    return row;
  }

  /** A new secret; the active ones keep signing for overlapSec (receivers switch at leisure), then expire. */
  async rotateSecret(scope: TenantScope, globalId: string, overlapSec: number): Promise<{ row: DestinationEntity; secret: string; secretRow: DestinationSecretEntity }> {
    const row = await scope.load(DestinationEntity, 'Destination', globalId, 'id');
    if (!Number.isInteger(overlapSec) || overlapSec < 0 || overlapSec > 30 * 86_400) throw new InvalidInput('overlapSec', 'overlapSec must be between 0 and 2592000 (30 days)');
    const secret = newSecret();
    const secretRow = this.secretRow(scope, row.id, secret);
    await scope.ds.transaction(async (m) => {
      const repo = m.getRepository(DestinationSecretEntity);
      await repo.update(scope.where<DestinationSecretEntity>({ destinationId: row.id, expiresAt: IsNull() }), { expiresAt: new Date(Date.now() + overlapSec * 1000) });
      await repo.insert(secretRow);
    });
    await this.changed(scope, row.id);
    return { row, secret, secretRow };
  }

  activeSecrets(scope: TenantScope, destinationId: string): Promise<DestinationSecretEntity[]> {
    return scope.repo(DestinationSecretEntity).find({
      where: [scope.where<DestinationSecretEntity>({ destinationId, expiresAt: IsNull() }), scope.where<DestinationSecretEntity>({ destinationId, expiresAt: MoreThan(new Date()) })],
      order: { createdAt: 'ASC' },
    });
  }

  /** The webhooks guide's test payload (resource_type webhook_test, test: true), sent now, bypassing the pipeline. */
  async sendTest(scope: TenantScope, globalId: string): Promise<WebhookTestResult> {
    const row = await scope.load(DestinationEntity, 'Destination', globalId, 'destinationId');
    const secrets = (await this.activeSecrets(scope, row.id)).map((s) => openSecret(this.keyring, { keyId: s.keyId, ciphertext: s.secretCiphertext }, destinationSecretAad(scope.tenantId, s.id)));
    const headers = row.headersCiphertext
      ? JSON.parse(openSecret(this.keyring, { keyId: row.headersKeyId!, ciphertext: row.headersCiphertext }, destinationHeadersAad(scope.tenantId, row.id))) as Record<string, string>
      : {};
    const webhookId = randomUUID();
    const changedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const event = { resource_type: 'webhook_test', common_model_id: randomUUID(), hash: createHash('sha256').update(webhookId).digest('hex'), changed_at: changedAt, test: true };
    const body = JSON.stringify(webhookPayload('change_log', 'webhook_test', scope.tenantId, [event]));
    const r = await this.sender.send({ url: row.url, headers, timeoutMs: row.timeoutMs, hmacHeader: row.hmacHeader, secrets }, body, webhookId);
    const ok = r.status !== null && r.status >= 200 && r.status < 300;
    return { ok, status: r.status, durationMs: r.durationMs, webhookId, error: ok ? null : (r.error ?? `HTTP ${r.status}: ${r.text.slice(0, 200)}`) };
  }

  close(): Promise<void> {
    return this.sender.close();
  }

  private sealHeaders(scope: TenantScope, row: DestinationEntity, headers: Record<string, string>): void {
    row.headerNames = Object.keys(headers);
    if (!row.headerNames.length) {
      row.headersCiphertext = null;
      row.headersKeyId = null;
      return;
    }
    const sealed = sealSecret(this.keyring, JSON.stringify(headers), destinationHeadersAad(scope.tenantId, row.id));
    row.headersCiphertext = sealed.ciphertext;
    row.headersKeyId = sealed.keyId;
  }

  private secretRow(scope: TenantScope, destinationId: string, secret: string): DestinationSecretEntity {
    const id = randomUUID();
    const sealed = sealSecret(this.keyring, secret, destinationSecretAad(scope.tenantId, id));
    return { id, tenantId: scope.tenantId, destinationId, secretCiphertext: sealed.ciphertext, keyId: sealed.keyId, fingerprint: fingerprint(secret), createdAt: new Date(), expiresAt: null };
  }

  private async changed(scope: TenantScope, destinationId: string): Promise<void> {
    await this.bus.publish({ kind: ConfigChangeKind.DESTINATION_CHANGED, tenantId: scope.tenantId, destinationId });
  }
}
