import { createHash } from 'node:crypto';
import { ClientCredentials } from 'simple-oauth2';

interface CachedToken { accessToken: string; expiresAtMs: number }

const EXPIRY_MARGIN_MS = 60_000;

/**
 * OAuth 2 client-credentials tokens per credential, cached until shortly before expiry and
 * refreshed single-flight: concurrent deliveries share one token request. (Across worker
 * processes each process keeps its own token; a shared, locked refresh comes with issue 4's
 * authorization-code credentials, where refresh tokens rotate.)
 */
export class OAuth2TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  async token(credentialId: string, c: { clientId: string; clientSecret: string; scope?: string }, tokenUrl: URL): Promise<string> {
    // Keyed by the secret too: after a rotation the old token is never reused, in any process.
    const key = `${credentialId}:${createHash('sha256').update(`${c.clientId}\n${c.clientSecret}\n${tokenUrl}\n${c.scope ?? ''}`).digest('hex').slice(0, 16)}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAtMs - EXPIRY_MARGIN_MS > this.now()) return cached.accessToken;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetch(key, c, tokenUrl).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  invalidate(credentialId: string): void {
    for (const key of this.tokens.keys()) if (key.startsWith(`${credentialId}:`)) this.tokens.delete(key);
  }

  private async fetch(key: string, c: { clientId: string; clientSecret: string; scope?: string }, tokenUrl: URL): Promise<string> {
    const client = new ClientCredentials({
      client: { id: c.clientId, secret: c.clientSecret },
      auth: { tokenHost: tokenUrl.origin, tokenPath: tokenUrl.pathname },
      options: { authorizationMethod: 'body' },
    });
    const result = await client.getToken(c.scope ? { scope: c.scope } : {});
    const token = result.token as { access_token: string; expires_in?: number };
    const expiresAtMs = this.now() + (token.expires_in ?? 3600) * 1000;
    this.tokens.set(key, { accessToken: token.access_token, expiresAtMs });
    return token.access_token;
  }
}
