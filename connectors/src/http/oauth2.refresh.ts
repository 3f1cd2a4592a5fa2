import { AuthorizationCode } from 'simple-oauth2';
import type { CredentialSecret, CredentialSecrets } from '../secrets/credential.types';
import type { CredentialVault } from '../secrets/credential.vault';
import type { TokenRefresher } from './auth.signer';

/** One refresh-token grant (RFC 6749 §6); keeps the old refresh token when the server does not rotate it. */
export async function refreshAuthorizationCode(secret: CredentialSecret, assertAllowed: (url: string) => URL): Promise<CredentialSecret> {
  if (secret.kind !== 'oauth2_authorization_code') throw new Error(`cannot refresh a ${secret.kind} credential`);
  const url = assertAllowed(secret.tokenUrl);
  const client = new AuthorizationCode({
    client: { id: secret.clientId, secret: secret.clientSecret },
    auth: { tokenHost: url.origin, tokenPath: url.pathname },
    options: { authorizationMethod: 'body' },
  });
  const token = client.createToken({ access_token: secret.accessToken, refresh_token: secret.refreshToken, token_type: 'Bearer' });
  const fresh = (await token.refresh(secret.scope ? { scope: secret.scope } : {})).token as { access_token: string; refresh_token?: string; expires_in?: number };
  const next: CredentialSecrets['oauth2_authorization_code'] & { kind: 'oauth2_authorization_code' } = {
    ...secret,
    accessToken: fresh.access_token,
    refreshToken: fresh.refresh_token ?? secret.refreshToken,
    expiresAtMs: Date.now() + (fresh.expires_in ?? 3600) * 1000,
  };
  return next;
}

/**
 * The one TokenRefresher both planes use: through the vault's row lock, so only the first process
 * to see a stale token refreshes it; `onRefreshed` lets the caller update its own cache.
 */
export function vaultRefresher(vault: CredentialVault, assertAllowed: (url: string) => URL, onRefreshed: (id: string, s: CredentialSecret) => void = () => undefined): TokenRefresher {
  return async (id, staleAccessToken) => {
    const fresh = await vault.refresh(
      id,
      (s) => s.kind === 'oauth2_authorization_code' && s.accessToken !== staleAccessToken && (s.expiresAtMs === undefined || s.expiresAtMs - 60_000 > Date.now()),
      (s) => refreshAuthorizationCode(s, assertAllowed),
    );
    onRefreshed(id, fresh);
    return fresh;
  };
}
