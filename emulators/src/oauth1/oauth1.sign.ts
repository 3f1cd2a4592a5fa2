// A minimal RFC 5849 signer, for tests and demo scripts that need to talk to the Copernica
// emulator's OAuth 1.0a extension. The hub's worker signs with its own library, not this.
import { randomBytes } from 'node:crypto';
import { signatureBaseString } from './oauth1.base-string';
import { percentEncode } from './oauth1.encode';
import { OAuth1Credentials } from './oauth1.verify';
import { computeSignature, OAuth1SignatureMethod } from './oauth1.signature';

export interface OAuth1SignInput {
  method: string;
  /** Absolute URL including the query, exactly as it will be sent. */
  url: string;
  credentials: OAuth1Credentials;
  signatureMethod?: OAuth1SignatureMethod;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  nonce?: string;
  realm?: string;
  /** Set both to sign a form-encoded body's parameters too. */
  contentType?: string;
  body?: string;
  /** Adds oauth_version="1.0" (optional in RFC 5849). */
  includeVersion?: boolean;
}

export interface OAuth1Signed {
  /** Value for the Authorization header. */
  authorization: string;
  /** The protocol parameters including oauth_signature, decoded. */
  params: Record<string, string>;
  baseString: string;
}

/** Signs a request and returns the Authorization header value (§3.5.1). */
export function signOAuth1Request(input: OAuth1SignInput): OAuth1Signed {
  const method = input.signatureMethod ?? 'HMAC-SHA1';
  const params: Record<string, string> = {
    oauth_consumer_key: input.credentials.consumerKey,
    oauth_signature_method: method,
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
  };
  if (input.credentials.token !== undefined) params.oauth_token = input.credentials.token;
  if (input.includeVersion) params.oauth_version = '1.0';

  const unsigned = 'OAuth ' + Object.entries(params).map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ');
  const baseString = signatureBaseString({ method: input.method, url: input.url, authorization: unsigned, contentType: input.contentType, body: input.body });
  params.oauth_signature = computeSignature(method, baseString, input.credentials.consumerSecret, input.credentials.tokenSecret);

  const realm = input.realm !== undefined ? `realm="${input.realm.replace(/"/g, '')}", ` : '';
  const authorization = 'OAuth ' + realm + Object.entries(params).map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ');
  return { authorization, params, baseString };
}
