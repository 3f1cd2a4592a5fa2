// OAuth 2.0 as BlueConic documents it (BC-OAS getToken): client credentials, and refresh tokens of
// the authorization-code flow with rotation on (a used refresh token stops working), plus the bearer check.
import { randomBytes } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse } from '../emulator/emulator.router';
import { BlueConicClient } from './blueconic.types';
import { blueConicError } from './blueconic.errors';

export class TokenIssuer {
  private tokens = new Map<string, number>();
  /** refresh token → client id; a refresh token works once (rotation). */
  private refreshTokens = new Map<string, string>();
  private issued = 0;
  private refreshed = 0;

  constructor(
    private readonly clients: BlueConicClient[],
    private readonly ttlSec: number,
    private readonly clock: () => number,
  ) {}

  reset(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
    this.issued = 0;
    this.refreshed = 0;
  }

  get refreshCount(): number {
    return this.refreshed;
  }

  /** What a finished authorization-code handshake hands the client (the handshake itself is not emulated). */
  grantAuthorizationCode(clientId: string, accessTtlSec = this.ttlSec): { accessToken: string; refreshToken: string; expiresIn: number } {
    const accessToken = randomBytes(16).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, this.clock() + accessTtlSec * 1000);
    this.refreshTokens.set(refreshToken, clientId);
    return { accessToken, refreshToken, expiresIn: accessTtlSec };
  }

  get issuedCount(): number {
    return this.issued;
  }

  /** Tokens not yet expired. */
  activeCount(): number {
    const now = this.clock();
    return [...this.tokens.values()].filter((expiresAt) => expiresAt > now).length;
  }

  /** POST /oauth/token. */
  token(req: EmulatorRequest): EmulatorResponse {
    req.authKind = 'client_credentials';
    const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const grantType = form.grant_type;
    if (grantType === undefined) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Missing grant_type' } };
    }
    if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' } };
    }
    const presented = basicCredentials(req.headers.authorization) ?? { clientId: form.client_id, clientSecret: form.client_secret };
    const client = this.clients.find((c) => c.clientId === presented.clientId && c.clientSecret === presented.clientSecret);
    if (!client) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    }
    const accessToken = randomBytes(16).toString('base64url');
    let refreshToken: string | undefined;
    if (grantType === 'refresh_token') {
      // RFC 6749 §5.2: an unknown, used or foreign refresh token is invalid_grant.
      const presentedRefresh = String(form.refresh_token ?? '');
      if (this.refreshTokens.get(presentedRefresh) !== client.clientId) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } };
      }
      this.refreshTokens.delete(presentedRefresh);
      refreshToken = randomBytes(24).toString('base64url');
      this.refreshTokens.set(refreshToken, client.clientId);
      this.refreshed += 1;
    }
    this.tokens.set(accessToken, this.clock() + this.ttlSec * 1000);
    this.issued += 1;
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { access_token: accessToken, token_type: 'Bearer', expires_in: this.ttlSec, ...(refreshToken ? { refresh_token: refreshToken } : {}) },
    };
  }

  /** The bearer check in front of every other route; undefined when the token is good. */
  authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
    const header = req.headers.authorization;
    const m = header ? /^\s*bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) return blueConicError(401, 'Authentication failed (unauthorized).', 'Missing bearer access token');
    req.authKind = 'bearer';
    const expiresAt = this.tokens.get(m[1]);
    if (expiresAt === undefined) return blueConicError(401, 'Authentication failed (unauthorized).', 'Unknown access token');
    if (expiresAt <= this.clock()) return blueConicError(401, 'Authentication failed (unauthorized).', 'Access token expired');
    return undefined;
  }
}

/** RFC 6749 §2.3.1: Basic with form-encoded id and secret. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const m = header ? /^\s*basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const unform = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
}
