import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../json/canonical.json';

/**
 * Hub tokens: `<kind>_<lookup><secret><checksum>`, base62.
 * - kind: `dht` (tenant API token for GraphQL) or `dhk` (inbound webhook key);
 * - lookup: 8 chars stored in clear to find the row without scanning;
 * - secret: 32 chars (~190 bits);
 * - checksum: 6 chars of SHA-256 over the rest, so a typo or garbage is rejected without a database hit.
 * Only SHA-256 of the whole token is stored; tokens are high-entropy, so a slow hash buys nothing.
 */
export type TokenKind = 'dht' | 'dhk';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LOOKUP_LEN = 8;
const SECRET_LEN = 32;
const CHECKSUM_LEN = 6;
const BODY = new RegExp(`^(dht|dhk)_([0-9A-Za-z]{${LOOKUP_LEN + SECRET_LEN + CHECKSUM_LEN}})$`);

/** Uniform base62: bytes 248..255 are dropped so that `% 62` has no bias. */
function base62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248) out += ALPHABET[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function checksum(text: string): string {
  // Hex out of the one-shot hash is faster than its Buffer output; byte i is hex chars 2i, 2i+1.
  const digest = sha256Hex(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LEN; i++) out += ALPHABET[parseInt(digest.slice(2 * i, 2 * i + 2), 16) % 62];
  return out;
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}

export interface MintedToken {
  token: string;
  lookup: string;
  hash: string;
}

export function mintToken(kind: TokenKind): MintedToken {
  const lookup = base62(LOOKUP_LEN);
  const secret = base62(SECRET_LEN);
  const head = `${kind}_${lookup}${secret}`;
  const token = head + checksum(head);
  return { token, lookup, hash: hashToken(token) };
}

/** The lookup id of a well-formed token of this kind, or null (bad shape or checksum). */
export function parseToken(token: string, kind: TokenKind): { lookup: string } | null {
  const m = BODY.exec(token);
  if (!m || m[1] !== kind) return null;
  const body = m[2]!;
  const head = token.slice(0, token.length - CHECKSUM_LEN);
  if (checksum(head) !== body.slice(-CHECKSUM_LEN)) return null;
  return { lookup: body.slice(0, LOOKUP_LEN) };
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
