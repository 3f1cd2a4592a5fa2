import { createHmac, createPrivateKey, randomUUID, sign } from 'node:crypto';
import type { CredentialSecrets } from '../secrets/credential.types';

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/** Signs a short-lived JWT (RFC 7519) from a jwt credential: its claims, plus iat, exp and jti. */
export function signJwt(c: CredentialSecrets['jwt'], nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: c.algorithm, typ: 'JWT', ...(c.keyId ? { kid: c.keyId } : {}) };
  const payload = { ...c.claims, iat, exp: iat + c.ttlSec, jti: randomUUID() };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  let signature: Buffer;
  if (c.algorithm === 'HS256') {
    signature = createHmac('sha256', c.signingKey).update(input).digest();
  } else {
    const key = createPrivateKey(c.signingKey);
    // ES256 signatures are the raw r||s pair in JOSE, not DER.
    signature = sign('sha256', Buffer.from(input), c.algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  }
  return `${input}.${b64url(signature)}`;
}

/** Whether a PEM or secret fits the algorithm; the message says what is wrong. */
export function checkJwtKey(algorithm: CredentialSecrets['jwt']['algorithm'], signingKey: string): string | null {
  if (algorithm === 'HS256') return signingKey.length >= 32 ? null : 'an HS256 secret must be at least 32 characters';
  try {
    const key = createPrivateKey(signingKey);
    const type = key.asymmetricKeyType;
    if (algorithm === 'RS256' && type !== 'rsa') return `RS256 needs an RSA private key, got ${type}`;
    if (algorithm === 'ES256' && (type !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')) return 'ES256 needs a P-256 EC private key';
    return null;
  } catch {
    return 'signingKey is not a PEM private key';
  }
}
