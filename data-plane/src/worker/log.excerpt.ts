/**
 * Excerpts for the delivery log: a record or payload as JSON, cut at `maxChars` while it is being
 * written (a large body is never serialised whole), with the values of sensitive keys replaced.
 * Sensitive: names that look like secrets (password, token, api key, …) and the tenant's own list.
 */
const SECRET_NAME = /pass(word|wd)?$|secret|token|api[-_]?key|authori[sz]ation|credential|cookie|session|private[-_]?key|signature|ssn|iban|card[-_]?number|cvv/i;
export const REDACTED = '[redacted]';
const MORE = '…';

export type SensitiveKey = (key: string) => boolean;

export function sensitiveKeys(configured: readonly string[]): SensitiveKey {
  const names = new Set(configured.map((n) => n.toLowerCase()));
  // Records repeat the same few keys: decide each once (bounded, so odd keys cannot grow it).
  const seen = new Map<string, boolean>();
  return (key) => {
    let hit = seen.get(key);
    if (hit === undefined) {
      hit = SECRET_NAME.test(key) || names.has(key.toLowerCase());
      if (seen.size < 10_000) seen.set(key, hit);
    }
    return hit;
  };
}

class Full extends Error {}

const NAME_KEYS = ['id', 'name', 'key', 'field'];
const VALUE_KEYS = new Set(['value', 'values']);
const REDACTED_JSON = JSON.stringify(REDACTED);
const keyJsonCache = new Map<string, string>();
/** `"key":`, cached: records repeat the same few keys. */
function keyJson(k: string): string {
  let j = keyJsonCache.get(k);
  if (j === undefined) {
    j = `${JSON.stringify(k)}:`;
    if (keyJsonCache.size < 10_000) keyJsonCache.set(k, j);
  }
  return j;
}

/** JSON of `value`, at most `maxChars` (+ '…' when cut), sensitive keys' values redacted; null for undefined. */
export function excerptJson(value: unknown, maxChars: number, sensitive: SensitiveKey): string | null {
  if (value === undefined) return null;
  let out = '';
  const put = (s: string) => {
    if (out.length + s.length > maxChars) {
      out += s.slice(0, Math.max(0, maxChars - out.length));
      throw new Full();
    }
    out += s;
  };
  const walk = (v: unknown, depth: number): void => {
    switch (typeof v) {
      case 'string':
        return put(JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v));
      case 'number':
        return put(Number.isFinite(v) ? String(v) : 'null');
      case 'boolean':
        return put(v ? 'true' : 'false');
      case 'object':
        break;
      default:
        return put('null');
    }
    if (v === null) return put('null');
    if (depth > 20) return put('"…"');
    if (Array.isArray(v)) {
      put('[');
      for (let i = 0; i < v.length; i++) {
        if (i) put(',');
        walk(v[i], depth + 1);
      }
      return put(']');
    }
    const obj = v as Record<string, unknown>;
    // A name/value pair (BlueConic's properties: {id: "email", values: [...]}) named like a sensitive field.
    let pairNamed = false;
    for (const n of NAME_KEYS) if (typeof obj[n] === 'string' && sensitive(obj[n] as string)) pairNamed = true;
    put('{');
    let first = true;
    for (const k in obj) {
      const item = obj[k];
      if (item === undefined || !Object.prototype.hasOwnProperty.call(obj, k)) continue;
      put(first ? keyJson(k) : `,${keyJson(k)}`);
      first = false;
      if (item !== null && (sensitive(k) || (pairNamed && VALUE_KEYS.has(k)))) put(REDACTED_JSON);
      else walk(item, depth + 1);
    }
    put('}');
  };
  try {
    walk(value, 0);
  } catch (e) {
    if (!(e instanceof Full)) throw e;
    return out + MORE;
  }
  return out;
}

const SECRET_PAIR = /("?)([\w-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|authori[sz]ation|signature)[\w-]*)\1(\s*[:=]\s*)("[^"]*"|[^\s,&}]+)/gi;

/** A response body's start, at most `maxChars`, with `"token": "…"` / `password=…` pairs redacted. */
export function excerptText(text: string | null | undefined, maxChars: number): string | null {
  if (!text) return null;
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}${MORE}` : text;
  return cut.replace(SECRET_PAIR, (_m, q: string, name: string, sep: string, val: string) => `${q}${name}${q}${sep}${val.startsWith('"') ? `"${REDACTED}"` : REDACTED}`);
}
