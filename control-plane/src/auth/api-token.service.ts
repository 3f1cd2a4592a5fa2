import { mintToken, parseToken, tokenMatches } from '@datahub/connectors';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiTokenEntity } from '../db/base.entities';
import type { Principal, Scope } from '../common/context';
import { Unauthenticated } from '../common/errors';

const TOUCH_EVERY_MS = 60_000;
const sha = (s: string) => createHash('sha256').update(s).digest();

/** Issues tenant API tokens and turns an Authorization header into a principal. */
export class ApiTokenService {
  /** When this process last sent last_used_at for a token (bounded: cleared past 10,000 tokens). */
  private readonly touchedAtMs = new Map<string, number>();
  private readonly operatorHashes: Buffer[];

  constructor(private readonly ds: DataSource, operatorTokens: string[]) {
    this.operatorHashes = operatorTokens.filter(Boolean).map(sha);
  }

  async issue(tenantId: string, name: string, scopes: Scope[], expiresAt: Date | null = null): Promise<{ token: string; row: ApiTokenEntity }> {
    const minted = mintToken('dht');
    const row = await this.ds.getRepository(ApiTokenEntity).save({
      tenantId, name, scopes, lookup: minted.lookup, hash: minted.hash, expiresAt, lastUsedAt: null, revokedAt: null,
    });
    return { token: minted.token, row };
  }

  /** null for no header; UNAUTHENTICATED for a header that does not name a live token. */
  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    if (!authorization) return null;
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m) throw new Unauthenticated('Authorization must be "Bearer <token>"');
    const token = m[1]!;
    const presented = sha(token);
    if (this.operatorHashes.some((h) => timingSafeEqual(h, presented))) return { kind: 'operator' };
    const parsed = parseToken(token, 'dht');
    if (!parsed) throw new Unauthenticated('The API token is malformed');
    const row = await this.ds.getRepository(ApiTokenEntity).findOneBy({ lookup: parsed.lookup });
    if (!row || !tokenMatches(token, row.hash)) throw new Unauthenticated('The API token is not valid');
    if (row.revokedAt) throw new Unauthenticated('The API token was revoked');
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) throw new Unauthenticated('The API token has expired');
    // The row just read says whether a minute has passed: no statement at all on most requests.
    // This process remembers its own touches too, so requests that read the row before the last
    // touch committed do not send it again.
    const now = Date.now();
    if ((!row.lastUsedAt || row.lastUsedAt.getTime() < now - TOUCH_EVERY_MS) && (this.touchedAtMs.get(row.id) ?? 0) < now - TOUCH_EVERY_MS) {
      if (this.touchedAtMs.size >= 10_000) this.touchedAtMs.clear();
      this.touchedAtMs.set(row.id, now);
      void this.touch(row.id);
    }
    return { kind: 'tenant', tenantId: row.tenantId, tokenId: row.id, scopes: row.scopes as Scope[] };
  }

  /** last_used_at at most once a minute per token, off the request path (the SQL guard covers concurrent requests). */
  private async touch(id: string): Promise<void> {
    await this.ds
      .query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [id])
      .catch(() => undefined);
  }
}
