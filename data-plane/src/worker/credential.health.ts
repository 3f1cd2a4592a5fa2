import type { HttpResult } from '@datahub/connectors';
import type { CredentialStatusName } from '@datahub/proto';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';

/**
 * Keeps `credentials.status` true to what the platforms say: FAILING (with the reason) when a
 * target or token endpoint refuses the credential, ACTIVE again on the next success. Writes only
 * when this process sees the status change, so a healthy hot path writes nothing.
 */
export class CredentialHealth {
  private readonly seen = new Map<string, CredentialStatusName>();

  constructor(private readonly db: Database) {}

  report(credentialId: string, result: HttpResult): Promise<void> {
    const ok = result.status !== null && result.status >= 200 && result.status < 300 && result.phase === 'request';
    if (!ok && !result.credentialRefused) return Promise.resolve();
    const status: CredentialStatusName = ok ? 'active' : 'failing';
    if (this.seen.get(credentialId) === status && ok) return Promise.resolve();
    this.seen.set(credentialId, status);
    const reason = ok ? null : describe(result);
    if (!ok) logger.warn({ operationalEvent: 'credential_failing', credentialId, reason }, 'a platform refused the credential');
    return this.db
      .query(
        `UPDATE credentials SET status = $2, status_reason = $3, status_changed_at = now()
          WHERE id = $1 AND (status <> $2 OR status_reason IS DISTINCT FROM $3)`,
        [credentialId, status, reason],
      )
      .then(() => undefined, (err) => {
        this.seen.delete(credentialId);
        logger.warn({ err: String(err), credentialId }, 'could not record the credential status');
      });
  }
}

function describe(r: HttpResult): string {
  const where = r.phase === 'token' ? 'token endpoint' : r.phase === 'local' ? 'hub' : 'platform';
  return `${where}: ${r.error ?? `HTTP ${r.status}`}`.slice(0, 500);
}
