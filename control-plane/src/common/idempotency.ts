import { createHash } from 'node:crypto';
import { openSecret, sealSecret, type Keyring } from '@datahub/connectors';
import { Conflict, InvalidInput } from './errors';
import type { TenantScope } from './tenant.scope';

/** What a create mutation remembers under its idempotency key: the created id, and a once-shown secret sealed. */
export interface IdempotentResult {
  id: string;
  secret?: string;
}

const KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Create mutations take an optional idempotencyKey: the first call runs and its result is
 * remembered; a retry with the same key and the same input returns that result and creates
 * nothing. The same key with another operation or input is a CONFLICT (a client bug, not a retry).
 */
export class Idempotency {
  constructor(private readonly keyring: Keyring) {}

  /** A create mutation's input carries its own optional idempotencyKey; the rest of it is what must match. */
  once(scope: TenantScope, operation: string, input: { idempotencyKey?: string | null }, create: () => Promise<IdempotentResult>) {
    const { idempotencyKey, ...request } = input;
    return this.run(scope, idempotencyKey, operation, request, create);
  }

  async run(scope: TenantScope, key: string | undefined | null, operation: string, input: unknown, create: () => Promise<IdempotentResult>): Promise<IdempotentResult & { replayed: boolean }> {
    if (key === undefined || key === null) return { ...(await create()), replayed: false };
    if (!KEY.test(key)) throw new InvalidInput('input.idempotencyKey', 'idempotencyKey must be 1..128 characters of letters, digits and _ . : -');
    const hash = createHash('sha256').update(JSON.stringify(input ?? null)).digest('hex');
    const inserted = await scope.ds.query(
      `INSERT INTO idempotency_keys (tenant_id, key, operation, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [scope.tenantId, key, operation, hash],
    );
    if (!inserted.length) return { ...(await this.replay(scope, key, operation, hash)), replayed: true };
    try {
      const result = await create();
      const stored = { id: result.id, ...(result.secret ? { sealed: sealSecret(this.keyring, result.secret, this.aad(scope, key)) } : {}) };
      await scope.ds.query(`UPDATE idempotency_keys SET result = $3 WHERE tenant_id = $1 AND key = $2`, [scope.tenantId, key, stored]);
      return { ...result, replayed: false };
    } catch (e) {
      await scope.ds.query(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`, [scope.tenantId, key]);
      throw e;
    }
  }

  private async replay(scope: TenantScope, key: string, operation: string, hash: string): Promise<IdempotentResult> {
    const [row] = await scope.ds.query(`SELECT operation, request_hash, result FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`, [scope.tenantId, key]);
    if (!row || row.operation !== operation || row.request_hash !== hash) {
      throw new Conflict('This idempotencyKey was already used for a different request; use a new key');
    }
    if (!row.result) throw new Conflict('A request with this idempotencyKey is still in progress; retry shortly');
    const result = row.result as { id: string; sealed?: { keyId: string; ciphertext: string } };
    return { id: result.id, ...(result.sealed ? { secret: openSecret(this.keyring, result.sealed, this.aad(scope, key)) } : {}) };
  }

  private aad(scope: TenantScope, key: string): string {
    return `idempotency:${scope.tenantId}:${key}`;
  }
}
