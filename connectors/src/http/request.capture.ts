import type { CredentialSecret } from '../secrets/credential.types';
import type { OutgoingRequest } from './auth.signer';

/**
 * A request exactly as the hub sends it (or would, in a dry run), with every secret value replaced
 * by `[REDACTED]`: what a sandbox run shows a person. The body is the mapped payload, unredacted
 * (it is the tenant's own data and the point of the preview).
 */
export interface CapturedRequest {
  method: string;
  /** With the query string (secrets in it redacted). */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** RFC 5849 §3.4.1 signature base string, when the credential is OAuth 1.0a. */
  signatureBaseString: string | null;
  /** false in a dry run: built and signed, never sent. */
  sent: boolean;
}

export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials whatever they contain. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);

/** The secret material of a credential: every value that must never be shown (identifiers such as a consumer key are kept). */
function secretValues(secret: CredentialSecret | null): string[] {
  if (!secret) return [];
  const values: unknown[] = [];
  switch (secret.kind) {
    case 'api_key': values.push(secret.key); break;
    case 'bearer': values.push(secret.token); break;
    case 'basic': values.push(secret.password, Buffer.from(`${secret.username}:${secret.password}`).toString('base64')); break;
    case 'oauth1': values.push(secret.consumerSecret, secret.tokenSecret); break;
    case 'oauth2_client_credentials': values.push(secret.clientSecret); break;
    case 'oauth2_authorization_code': values.push(secret.clientSecret, secret.accessToken, secret.refreshToken); break;
    case 'jwt': values.push(secret.signingKey); break;
    default: {
      const unknown: never = secret;
      void unknown;
    }
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.split(s).join(REDACTED);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** An authorization header keeps its scheme (and OAuth 1.0a its parameter names) so a person sees how it was signed. */
function redactHeader(name: string, value: string, secrets: string[]): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' && /^OAuth /.test(value)) return scrub(value.replace(/oauth_signature="[^"]*"/, `oauth_signature="${REDACTED}"`), secrets);
  if (SECRET_HEADERS.has(lower)) {
    const scheme = /^(\w+) \S/.exec(value)?.[1];
    return scheme && lower === 'authorization' ? `${scheme} ${REDACTED}` : REDACTED;
  }
  return scrub(value, secrets);
}

/** The request as a sandbox run reports it. */
export function captureRequest(req: OutgoingRequest, body: unknown, secret: CredentialSecret | null, signatureBaseString: string | null, sent: boolean): CapturedRequest {
  const secrets = secretValues(secret);
  const url = new URL(req.url);
  for (const [k, v] of req.query) url.searchParams.append(k, v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = redactHeader(k, v, secrets);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: req.method,
    url: scrub(url.toString(), secrets),
    headers,
    body: body ?? null,
    signatureBaseString: signatureBaseString === null ? null : scrub(signatureBaseString, secrets),
    sent,
  };
}
