import type { AuthKind } from '../manifest/manifest.types';

/** The secret material of each credential kind: stored only encrypted, never returned. */
export interface CredentialSecrets {
  /** `in`/`name` default to the connector manifest's authDefaults.api_key. */
  api_key: { key: string; in?: 'header' | 'query'; name?: string };
  bearer: { token: string };
  basic: { username: string; password: string };
  oauth1: {
    consumerKey: string;
    consumerSecret: string;
    token?: string;
    tokenSecret?: string;
    signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256';
  };
  oauth2_client_credentials: { clientId: string; clientSecret: string; tokenUrl?: string; scope?: string };
  /** Tokens from an authorization-code handshake; the hub refreshes them (refresh tokens may rotate). */
  oauth2_authorization_code: {
    clientId: string; clientSecret: string; tokenUrl: string; accessToken: string; refreshToken: string;
    /** ms since the epoch; absent = unknown (refresh on a 401). */
    expiresAtMs?: number; scope?: string;
  };
  /** A JWT the hub signs per request from a stored key. */
  jwt: {
    algorithm: 'HS256' | 'RS256' | 'ES256'; signingKey: string; keyId?: string;
    claims: Record<string, unknown>; ttlSec: number; headerName: string; scheme: string;
  };
}

export type CredentialSecret = { [K in AuthKind]: { kind: K } & CredentialSecrets[K] }[AuthKind];
