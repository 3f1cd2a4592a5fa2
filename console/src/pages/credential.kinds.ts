import type { ResultOf, VariablesOf } from 'gql.tada';
import { graphql } from '../api/graphql';

export const CredentialFields = graphql(`fragment CredentialFields on Credential {
  id name kind fingerprint status statusReason createdAt lastUsedAt rotatedAt expiresAt
  lastTest { ok status message testedAt }
}`);

export type CredentialKind = ResultOf<typeof CredentialFields>['kind'];
export const CreateCredential = graphql(`mutation CreateCredential($input: CreateCredentialInput!) { createCredential(input: $input) { id name kind fingerprint } }`);
export type SecretInput = Omit<VariablesOf<typeof CreateCredential>['input'], 'name' | 'idempotencyKey'>;

export interface SecretField {
  name: string;
  label: string;
  /** Rendered as a password box, never echoed */
  secret?: boolean;
  optional?: boolean;
  kind?: 'text' | 'textarea' | 'json' | 'number' | 'select';
  options?: string[];
  hint?: string;
}

/**
 * Each credential kind: the CreateCredentialInput field it fills and its form. Keyed by the
 * schema's enum, so a kind added to the API fails the type check until it has a form here.
 */
export const KINDS: Record<CredentialKind, { input: keyof SecretInput; label: string; fields: SecretField[] }> = {
  API_KEY: { input: 'apiKey', label: 'API key', fields: [
    { name: 'key', label: 'Key', secret: true },
    { name: 'in', label: 'Sent in', kind: 'select', options: ['', 'HEADER', 'QUERY'], optional: true, hint: "Empty: the connector's default (e.g. Copernica: query access_token)" },
    { name: 'name', label: 'Header or query parameter name', optional: true },
  ] },
  BEARER: { input: 'bearer', label: 'Bearer token', fields: [{ name: 'token', label: 'Token', secret: true }] },
  BASIC: { input: 'basic', label: 'Basic auth', fields: [{ name: 'username', label: 'Username' }, { name: 'password', label: 'Password', secret: true }] },
  OAUTH1: { input: 'oauth1', label: 'OAuth 1.0a', fields: [
    { name: 'consumerKey', label: 'Consumer key' }, { name: 'consumerSecret', label: 'Consumer secret', secret: true },
    { name: 'token', label: 'Token', optional: true }, { name: 'tokenSecret', label: 'Token secret', secret: true, optional: true },
    { name: 'signatureMethod', label: 'Signature method', kind: 'select', options: ['HMAC_SHA1', 'HMAC_SHA256'] },
  ] },
  OAUTH2_CLIENT_CREDENTIALS: { input: 'oauth2ClientCredentials', label: 'OAuth 2 client credentials', fields: [
    { name: 'clientId', label: 'Client id' }, { name: 'clientSecret', label: 'Client secret', secret: true },
    { name: 'tokenUrl', label: 'Token URL', optional: true, hint: "Empty: the connector's token path below the sync's base URL" },
    { name: 'scope', label: 'Scope', optional: true },
  ] },
  OAUTH2_AUTHORIZATION_CODE: { input: 'oauth2AuthorizationCode', label: 'OAuth 2 authorization code', fields: [
    { name: 'clientId', label: 'Client id' }, { name: 'clientSecret', label: 'Client secret', secret: true },
    { name: 'tokenUrl', label: 'Token URL' }, { name: 'accessToken', label: 'Access token', secret: true },
    { name: 'refreshToken', label: 'Refresh token', secret: true },
    { name: 'accessTokenExpiresAt', label: 'Access token expires at (ISO 8601)', optional: true },
    { name: 'scope', label: 'Scope', optional: true },
  ] },
  JWT: { input: 'jwt', label: 'Signed JWT', fields: [
    { name: 'algorithm', label: 'Algorithm', kind: 'select', options: ['HS256', 'RS256', 'ES256'] },
    { name: 'signingKey', label: 'Signing key', kind: 'textarea', secret: true, hint: 'HS256: a secret of 32+ characters; RS256/ES256: a PEM private key' },
    { name: 'keyId', label: 'Key id (kid)', optional: true },
    { name: 'claims', label: 'Claims (JSON object)', kind: 'json', optional: true, hint: 'e.g. {"iss": "datahub", "aud": "api"}' },
    { name: 'ttlSec', label: 'Lifetime (s)', kind: 'number', optional: true },
    { name: 'headerName', label: 'Header', optional: true },
    { name: 'scheme', label: 'Scheme', optional: true },
  ] },
};

/** The form's values as the API's input for that kind (empty optional fields left out). */
export function secretInput(kind: CredentialKind, values: Record<string, string>): SecretInput {
  const spec = KINDS[kind];
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const v = values[f.name]?.trim() ?? '';
    if (v === '') continue;
    out[f.name] = f.kind === 'number' ? Number(v) : f.kind === 'json' ? JSON.parse(v) : v;
  }
  return { [spec.input]: out } as SecretInput;
}
