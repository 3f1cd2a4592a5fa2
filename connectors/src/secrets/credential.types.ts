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
}

export type CredentialSecret = { [K in AuthKind]: { kind: K } & CredentialSecrets[K] }[AuthKind];
