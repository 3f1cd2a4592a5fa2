import type { ConnectorManifest } from '../manifest/manifest.types';
import type { CredentialSecret } from '../secrets/credential.types';
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { signJwt } from './jwt.sign';
import type { OAuth2TokenCache } from './oauth2.tokens';

export interface OutgoingRequest {
  method: string;
  /** Without query string; the query lives in `query` so signers see decoded names and values. */
  url: URL;
  query: [string, string][];
  headers: Record<string, string>;
}

export class CredentialMisconfigured extends Error {}

/**
 * Returns the credential with an access token other than `staleAccessToken`, refreshing it if no
 * other process already did (single-flight; see CredentialVault.refresh and vaultRefresher).
 */
export type TokenRefresher = (credentialId: string, staleAccessToken: string) => Promise<CredentialSecret>;

/** What signing computed that a person may want to see (a sandbox run shows it). */
export interface SignDetails {
  /** OAuth 1.0a: the signature base string exactly as it was hashed. */
  signatureBaseString: string | null;
}

/** Applies a credential to a request the way the connector's platform wants it. */
export async function signRequest(
  req: OutgoingRequest,
  credentialId: string,
  secret: CredentialSecret,
  manifest: ConnectorManifest,
  baseUrl: string,
  oauth2: OAuth2TokenCache,
  assertAllowed: (url: string) => URL,
  refreshTokens: TokenRefresher,
): Promise<SignDetails> {
  const done: SignDetails = { signatureBaseString: null };
  switch (secret.kind) {
    case 'api_key': {
      const placement = secret.in ?? manifest.authDefaults?.api_key?.in ?? 'header';
      const name = secret.name ?? manifest.authDefaults?.api_key?.name ?? 'Api-Key';
      if (placement === 'query') req.query.push([name, secret.key]);
      else req.headers[name] = secret.key;
      return done;
    }
    case 'bearer':
      req.headers.authorization = `Bearer ${secret.token}`;
      return done;
    case 'basic':
      req.headers.authorization = `Basic ${Buffer.from(`${secret.username}:${secret.password}`).toString('base64')}`;
      return done;
    case 'oauth1': {
      const algorithm = secret.signatureMethod === 'HMAC-SHA256' ? 'sha256' : 'sha1';
      const oauth = new OAuth({
        consumer: { key: secret.consumerKey, secret: secret.consumerSecret },
        signature_method: secret.signatureMethod,
        hash_function: (base, key) => {
          done.signatureBaseString = base;
          return createHmac(algorithm, key).update(base).digest('base64');
        },
      });
      // The library mutates `data` and double-encodes query names it reads from a URL: hand it a
      // fresh object with the decoded query instead, and the URL without its query.
      const data: Record<string, string | string[]> = {};
      for (const [k, v] of req.query) data[k] = k in data ? ([] as string[]).concat(data[k]!, v) : v;
      const token = secret.token ? { key: secret.token, secret: secret.tokenSecret ?? '' } : undefined;
      const signed = oauth.authorize({ url: req.url.toString(), method: req.method, data }, token);
      req.headers.authorization = oauth.toHeader(signed).Authorization;
      return done;
    }
    case 'oauth2_client_credentials': {
      const path = manifest.authDefaults?.oauth2_client_credentials?.tokenPath;
      const tokenUrl = secret.tokenUrl ?? (path ? `${baseUrl.replace(/\/+$/, '')}${path}` : undefined);
      if (!tokenUrl) throw new CredentialMisconfigured(`${manifest.name} has no token path; set tokenUrl on the credential`);
      req.headers.authorization = `Bearer ${await oauth2.token(credentialId, secret, assertAllowed(tokenUrl))}`;
      return done;
    }
    case 'oauth2_authorization_code': {
      const expired = secret.expiresAtMs !== undefined && secret.expiresAtMs - 60_000 <= Date.now();
      const current = expired ? await refreshTokens(credentialId, secret.accessToken) : secret;
      req.headers.authorization = `Bearer ${(current as typeof secret).accessToken}`;
      return done;
    }
    case 'jwt':
      req.headers[secret.headerName.toLowerCase()] = secret.scheme ? `${secret.scheme} ${signJwt(secret)}` : signJwt(secret);
      return done;
    default: {
      const unknown: never = secret;
      throw new CredentialMisconfigured(`unknown credential kind ${(unknown as { kind: string }).kind}`);
    }
  }
}
