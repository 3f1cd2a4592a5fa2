import { checkJwtKey, checkOutboundUrl, type CredentialSecret } from '@datahub/connectors';
import { InvalidInput } from '../common/errors';
import { requireText } from '../common/validate';
import type { CredentialSecretInput } from './credential.types';

const KINDS = ['apiKey', 'bearer', 'basic', 'oauth1', 'oauth2ClientCredentials', 'oauth2AuthorizationCode', 'jwt'] as const;

/** Turns the one kind field that is set into the secret to store; every failure names its field. */
export function secretFromInput(input: CredentialSecretInput, allowHosts: Set<string>, at = 'input'): CredentialSecret {
  const given = KINDS.filter((k) => input[k]);
  if (given.length !== 1) throw new InvalidInput(at, `Set exactly one of ${KINDS.join(', ')}`);
  const f = (name: string) => `${at}.${given[0]}.${name}`;
  const url = (value: string, name: string) => {
    const v = checkOutboundUrl(value, allowHosts);
    if (!v.ok) throw new InvalidInput(f(name), `${name} ${v.reason}`);
    return value;
  };
  if (input.apiKey) {
    const { key, in: placement, name } = input.apiKey;
    if (name !== undefined && name !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new InvalidInput(f('name'), 'name must be a header or query parameter name');
    return { kind: 'api_key', key: requireText(key, f('key')), ...(placement ? { in: placement } : {}), ...(name ? { name } : {}) };
  }
  if (input.bearer) return { kind: 'bearer', token: requireText(input.bearer.token, f('token')) };
  if (input.basic) return { kind: 'basic', username: requireText(input.basic.username, f('username')), password: requireText(input.basic.password, f('password')) };
  if (input.oauth1) {
    const o = input.oauth1;
    if (!!o.token !== !!o.tokenSecret) throw new InvalidInput(f('tokenSecret'), 'token and tokenSecret go together');
    return {
      kind: 'oauth1', consumerKey: requireText(o.consumerKey, f('consumerKey')), consumerSecret: requireText(o.consumerSecret, f('consumerSecret')),
      ...(o.token ? { token: o.token, tokenSecret: o.tokenSecret } : {}), signatureMethod: o.signatureMethod,
    };
  }
  if (input.oauth2ClientCredentials) {
    const o = input.oauth2ClientCredentials;
    return {
      kind: 'oauth2_client_credentials', clientId: requireText(o.clientId, f('clientId')), clientSecret: requireText(o.clientSecret, f('clientSecret')),
      ...(o.tokenUrl ? { tokenUrl: url(o.tokenUrl, 'tokenUrl') } : {}), ...(o.scope ? { scope: o.scope } : {}),
    };
  }
  if (input.oauth2AuthorizationCode) {
    const o = input.oauth2AuthorizationCode;
    return {
      kind: 'oauth2_authorization_code', clientId: requireText(o.clientId, f('clientId')), clientSecret: requireText(o.clientSecret, f('clientSecret')),
      tokenUrl: url(requireText(o.tokenUrl, f('tokenUrl')), 'tokenUrl'), accessToken: requireText(o.accessToken, f('accessToken')),
      refreshToken: requireText(o.refreshToken, f('refreshToken')),
      ...(o.accessTokenExpiresAt ? { expiresAtMs: o.accessTokenExpiresAt.getTime() } : {}), ...(o.scope ? { scope: o.scope } : {}),
    };
  }
  const j = input.jwt!;
  const problem = checkJwtKey(j.algorithm, requireText(j.signingKey, f('signingKey'), 16_384));
  if (problem) throw new InvalidInput(f('signingKey'), problem);
  if (j.ttlSec < 10 || j.ttlSec > 86_400) throw new InvalidInput(f('ttlSec'), 'ttlSec must be between 10 and 86400');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(j.headerName)) throw new InvalidInput(f('headerName'), 'headerName must be an HTTP header name');
  return { kind: 'jwt', algorithm: j.algorithm, signingKey: j.signingKey, ...(j.keyId ? { keyId: j.keyId } : {}), claims: j.claims ?? {}, ttlSec: j.ttlSec, headerName: j.headerName, scheme: j.scheme ?? '' };
}
