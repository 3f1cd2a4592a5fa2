// RFC 5849 §3.2: verifying an OAuth 1.0a signed request. Written from the RFC alone so that it is an
// independent check on the hub's signer (which uses the oauth-1.0a library).
import { OAuth1Request, parameterSources, signatureBaseString } from './oauth1.base-string';
import { isOAuthAuthorization, Pair } from './oauth1.encode';
import { computeSignature, isSignatureMethod, OAuth1SignatureMethod, signaturesEqual } from './oauth1.signature';
import { NonceCache } from './oauth1.nonce';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
}

/** Why a request failed; `status` follows §3.2 (400 malformed, 401 not authentic). */
export type OAuth1Failure =
  | 'missing_parameter'
  | 'duplicate_parameter'
  | 'unsupported_signature_method'
  | 'unsupported_version'
  | 'unknown_consumer'
  | 'unknown_token'
  | 'stale_timestamp'
  | 'replayed_nonce'
  | 'bad_signature';

const STATUS: Record<OAuth1Failure, 400 | 401> = {
  missing_parameter: 400,
  duplicate_parameter: 400,
  unsupported_signature_method: 400,
  unsupported_version: 400,
  unknown_consumer: 401,
  unknown_token: 401,
  stale_timestamp: 401,
  replayed_nonce: 401,
  bad_signature: 401,
};

export type OAuth1Verification =
  | { ok: true; consumerKey: string; token?: string; signatureMethod: OAuth1SignatureMethod; protocol: Record<string, string> }
  | { ok: false; reason: OAuth1Failure; status: 400 | 401; message: string };

export interface OAuth1VerifyOptions {
  /** Finds the credentials for a consumer key and (possibly absent) token. */
  lookup(consumerKey: string, token: string | undefined): OAuth1Credentials | undefined | 'unknown_token';
  /** Current time in milliseconds; injectable for tests. */
  now?: () => number;
  /** Allowed clock skew either way; default 300 s. */
  toleranceSec?: number;
  /** Remembers nonces; without one, replays are not detected. */
  nonces?: NonceCache;
  /** Signature methods to accept; default all three. */
  methods?: readonly OAuth1SignatureMethod[];
}

export const DEFAULT_TOLERANCE_SEC = 300;

function fail(reason: OAuth1Failure, message: string): OAuth1Verification {
  return { ok: false, reason, status: STATUS[reason], message };
}

/** The oauth_* parameters from whichever source carried them; a name seen twice is an error (§3.2). */
function protocolParameters(pairs: Pair[]): { protocol: Record<string, string> } | { duplicate: string } {
  const protocol: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (!name.startsWith('oauth_')) continue;
    if (Object.hasOwn(protocol, name)) return { duplicate: name };
    protocol[name] = value;
  }
  return { protocol };
}

/** Whether a request carries OAuth 1.0a protocol parameters at all (header, query or form body). */
export function hasOAuth1Parameters(request: OAuth1Request): boolean {
  if (isOAuthAuthorization(request.authorization)) return true;
  const sources = parameterSources(request);
  return [...sources.query, ...sources.body].some(([name]) => name.startsWith('oauth_'));
}

/**
 * Verifies one request. Order: well-formedness, credentials, timestamp, signature, and the nonce
 * last, so that a forged request cannot burn a legitimate client's nonce.
 */
export function verifyOAuth1Request(request: OAuth1Request, options: OAuth1VerifyOptions): OAuth1Verification {
  const sources = parameterSources(request);
  const fromHeader = sources.header.filter(([name]) => name !== 'realm');
  const collected = protocolParameters([...fromHeader, ...sources.body, ...sources.query]);
  if ('duplicate' in collected) return fail('duplicate_parameter', `duplicated protocol parameter ${collected.duplicate}`);
  const p = collected.protocol;

  for (const name of ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature']) {
    if (p[name] === undefined) return fail('missing_parameter', `missing protocol parameter ${name}`);
  }
  const method = p.oauth_signature_method;
  const allowed = options.methods ?? ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT'];
  if (!isSignatureMethod(method) || !allowed.includes(method)) {
    return fail('unsupported_signature_method', `unsupported signature method ${method}`);
  }
  if (p.oauth_version !== undefined && p.oauth_version !== '1.0') {
    return fail('unsupported_version', `unsupported oauth_version ${p.oauth_version}`);
  }
  // §3.4.4: PLAINTEXT does not use timestamp and nonce; every other method needs both.
  const timed = method !== 'PLAINTEXT' || p.oauth_timestamp !== undefined || p.oauth_nonce !== undefined;
  if (timed) {
    for (const name of ['oauth_timestamp', 'oauth_nonce']) {
      if (p[name] === undefined) return fail('missing_parameter', `missing protocol parameter ${name}`);
    }
  }

  const credentials = options.lookup(p.oauth_consumer_key, p.oauth_token);
  if (credentials === undefined) return fail('unknown_consumer', `unknown consumer key ${p.oauth_consumer_key}`);
  if (credentials === 'unknown_token') return fail('unknown_token', 'unknown or mismatched oauth_token');

  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const toleranceSec = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (timed) {
    if (!/^[1-9]\d*$/.test(p.oauth_timestamp)) return fail('stale_timestamp', 'oauth_timestamp is not a positive integer');
    const skew = Number(p.oauth_timestamp) - nowSec;
    if (Math.abs(skew) > toleranceSec) {
      return fail('stale_timestamp', `oauth_timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'in the future'}; allowed ±${toleranceSec} s`);
    }
  }

  const expected = computeSignature(method, signatureBaseString(request), credentials.consumerSecret, credentials.tokenSecret);
  if (!signaturesEqual(expected, p.oauth_signature)) return fail('bad_signature', 'signature does not match');

  if (timed && options.nonces) {
    const fresh = options.nonces.claim(
      [p.oauth_consumer_key, p.oauth_token ?? '', p.oauth_timestamp, p.oauth_nonce],
      Number(p.oauth_timestamp),
      nowSec - toleranceSec,
    );
    if (!fresh) return fail('replayed_nonce', 'nonce already used with this timestamp and credentials');
  }
  return { ok: true, consumerKey: p.oauth_consumer_key, token: p.oauth_token, signatureMethod: method, protocol: p };
}

/** A lookup over a fixed list: a consumer without a token accepts only requests without oauth_token. */
export function credentialLookup(list: readonly OAuth1Credentials[]): OAuth1VerifyOptions['lookup'] {
  return (consumerKey, token) => {
    const forConsumer = list.filter((c) => c.consumerKey === consumerKey);
    if (forConsumer.length === 0) return undefined;
    return forConsumer.find((c) => (c.token ?? undefined) === (token || undefined)) ?? 'unknown_token';
  };
}
