// RFC 5849 §3.4.2 (HMAC-SHA1) and §3.4.4 (PLAINTEXT), plus HMAC-SHA256, the common extension.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { percentEncode } from './oauth1.encode';

export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';

export const SIGNATURE_METHODS: readonly OAuth1SignatureMethod[] = ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'];

export function isSignatureMethod(value: string): value is OAuth1SignatureMethod {
  return (SIGNATURE_METHODS as readonly string[]).includes(value);
}

/** §3.4.2: encode(client secret) & encode(token secret); the "&" stays when either is empty. */
export function signingKey(consumerSecret: string, tokenSecret = ''): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

/** The oauth_signature value (before the header's own percent-encoding). */
export function computeSignature(
  method: OAuth1SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret = '',
): string {
  const key = signingKey(consumerSecret, tokenSecret);
  switch (method) {
    case 'HMAC-SHA1':
      return createHmac('sha1', key).update(baseString, 'utf8').digest('base64');
    case 'HMAC-SHA256':
      return createHmac('sha256', key).update(baseString, 'utf8').digest('base64');
    case 'PLAINTEXT':
      return key;
  }
}

/**
 * Constant-time comparison. Both sides are hashed first so that timingSafeEqual always sees
 * equal-length buffers and the length of the expected value does not leak either.
 */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = createHmac('sha256', 'oauth1-compare').update(expected, 'utf8').digest();
  const b = createHmac('sha256', 'oauth1-compare').update(received, 'utf8').digest();
  return timingSafeEqual(a, b);
}
