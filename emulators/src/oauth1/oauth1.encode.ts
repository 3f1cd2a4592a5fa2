// Encoding rules of RFC 5849 §3.6 and the parsers that feed §3.4.1.3.

/** RFC 5849 §3.6: UTF-8, then %XX (uppercase) for everything outside ALPHA / DIGIT / "-" / "." / "_" / "~". */
export function percentEncode(value: string): string {
  // encodeURIComponent leaves ! ' ( ) * alone; §3.6 reserves them too.
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Decodes %XX sequences; a malformed sequence is kept literally instead of throwing. */
export function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

export type Pair = [name: string, value: string];

/**
 * Splits an application/x-www-form-urlencoded string (a query or a body) into decoded pairs, as
 * W3C HTML 4.01 §17.13.4 says: "+" is a space, a name without "=" has an empty value.
 */
export function formPairs(encoded: string): Pair[] {
  const pairs: Pair[] = [];
  for (const part of encoded.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([percentDecode(rawName.replace(/\+/g, ' ')), percentDecode(rawValue.replace(/\+/g, ' '))]);
  }
  return pairs;
}

/** Whether an Authorization header uses the OAuth scheme (the scheme name is case-insensitive). */
export function isOAuthAuthorization(header: string | undefined): header is string {
  return header !== undefined && /^\s*oauth(\s|$)/i.test(header);
}

/**
 * Parses `OAuth realm="x", oauth_consumer_key="…", …` into decoded pairs (realm included; the
 * caller drops it). Values are percent-encoded by the client (§3.5.1), so they are decoded here.
 */
export function authorizationPairs(header: string): Pair[] {
  const body = header.replace(/^\s*oauth\s*/i, '');
  const pairs: Pair[] = [];
  const re = /([^\s=,]+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    pairs.push([percentDecode(m[1]), percentDecode(m[2] ?? m[3] ?? '')]);
  }
  return pairs;
}
