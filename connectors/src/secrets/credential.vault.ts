import { credentialAad, openSecret, sealSecret, type Keyring } from './secret.box';
import type { CredentialSecret } from './credential.types';

/** Runs SQL and returns rows; both pg's Pool and TypeORM's DataSource fit through a one-line adapter. */
export type SqlRunner = (sql: string, params: unknown[]) => Promise<Record<string, any>[]>;
/** Runs `fn` inside one transaction on one connection. */
export type TxRunner = <R>(fn: (sql: SqlRunner) => Promise<R>) => Promise<R>;

/**
 * Reads credentials (decrypting them) and writes back refreshed OAuth 2 tokens. A refresh is
 * single-flight across every process: the row is locked, re-read, and refreshed only if the
 * stored token is still stale — a rotating refresh token is never spent twice.
 */
export class CredentialVault {
  constructor(private readonly keyring: Keyring, private readonly sql: SqlRunner, private readonly tx: TxRunner) {}

  async load(id: string): Promise<CredentialSecret | null> {
    const [row] = await this.sql('SELECT tenant_id, secret_ciphertext, key_id FROM credentials WHERE id = $1', [id]);
    return row ? this.open(id, row) : null;
  }

  async refresh(id: string, isFresh: (s: CredentialSecret) => boolean, refresh: (s: CredentialSecret) => Promise<CredentialSecret>): Promise<CredentialSecret> {
    return this.tx(async (sql) => {
      const [row] = await sql('SELECT tenant_id, secret_ciphertext, key_id FROM credentials WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new Error(`credential ${id} no longer exists`);
      const current = this.open(id, row);
      if (isFresh(current)) return current;
      const next = await refresh(current);
      const sealed = sealSecret(this.keyring, JSON.stringify(next), credentialAad(row.tenant_id, id));
      await sql('UPDATE credentials SET secret_ciphertext = $2, key_id = $3, updated_at = now() WHERE id = $1', [id, sealed.ciphertext, sealed.keyId]);
      return next;
    });
  }

  private open(id: string, row: Record<string, any>): CredentialSecret {
    return JSON.parse(openSecret(this.keyring, { keyId: row.key_id, ciphertext: row.secret_ciphertext }, credentialAad(row.tenant_id, id))) as CredentialSecret;
  }
}
