// RFC 5849 §3.4.1: the signature base string.
import { authorizationPairs, formPairs, isOAuthAuthorization, Pair, percentEncode } from './oauth1.encode';

/** The parts of an HTTP request that §3.4.1 covers. */
export interface OAuth1Request {
  method: string;
  /** Absolute URL as the server saw it: scheme + Host header + request-target (path and query). */
  url: string;
  /** The Authorization header, if any. */
  authorization?: string;
  /** The Content-Type header, if any; decides whether the body's parameters are signed. */
  contentType?: string;
  /** The raw request body. */
  body?: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * §3.4.1.2: scheme and host lowercase, the port only when it is not the scheme's default, the
 * path exactly as sent (still percent-encoded), no query or fragment.
 */
export function baseStringUri(url: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(url);
  if (!match) throw new Error(`not an absolute URL: ${url}`);
  const scheme = match[1].toLowerCase() + ':';
  const authority = match[2].replace(/^[^@]*@/, '');
  const portMatch = /^(.*?)(?::(\d*))?$/.exec(authority);
  const host = (portMatch?.[1] ?? authority).toLowerCase();
  const port = portMatch?.[2];
  const path = match[3] === '' ? '/' : match[3];
  const withPort = port && port !== DEFAULT_PORTS[scheme] ? `${host}:${port}` : host;
  return `${scheme}//${withPort}${path}`;
}

/** Whether a Content-Type is application/x-www-form-urlencoded (parameters such as charset allowed). */
export function isFormContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The query component of an absolute URL, undecoded, without the "?". */
function rawQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash === -1 ? undefined : hash);
}

export interface ParameterSources {
  query: Pair[];
  header: Pair[];
  body: Pair[];
}

/** §3.4.1.3.1: the three sources, each decoded. The header keeps realm; the caller knows to drop it. */
export function parameterSources(request: OAuth1Request): ParameterSources {
  return {
    query: formPairs(rawQuery(request.url)),
    header: isOAuthAuthorization(request.authorization) ? authorizationPairs(request.authorization) : [],
    body: isFormContentType(request.contentType) && request.body ? formPairs(request.body) : [],
  };
}

/** §3.4.1.3.2: encode, sort by name then value (byte order), join with "=" and "&". */
export function normalizeParameters(pairs: Pair[]): string {
  const encoded = pairs.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const);
  // Encoded strings are pure ASCII, so comparing UTF-16 code units is byte-order comparison.
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

/** The pairs that are signed: all sources, minus the header's realm and any oauth_signature. */
export function signedParameters(sources: ParameterSources): Pair[] {
  const header = sources.header.filter(([name]) => name !== 'realm');
  return [...sources.query, ...header, ...sources.body].filter(([name]) => name !== 'oauth_signature');
}

/** §3.4.1.1: METHOD & encode(base string URI) & encode(normalized parameters). */
export function signatureBaseString(request: OAuth1Request): string {
  const params = normalizeParameters(signedParameters(parameterSources(request)));
  return [percentEncode(request.method.toUpperCase()), percentEncode(baseStringUri(request.url)), percentEncode(params)].join('&');
}
