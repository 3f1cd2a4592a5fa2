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
  return (key) => SECRET_NAME.test(key) || names.has(key.toLowerCase());
}

class Full extends Error {}

const NAME_KEYS = ['id', 'name', 'key', 'field'];
const VALUE_KEYS = new Set(['value', 'values']);

/** JSON of `value`, at most `maxChars` (+ '…' when cut), sensitive keys' values redacted; null for undefined. */
export function excerptJson(value: unknown, maxChars: number, sensitive: SensitiveKey): string | null {
  if (value === undefined) return null;
  const out: string[] = [];
  let length = 0;
  const put = (s: string) => {
    if (length + s.length > maxChars) {
      out.push(s.slice(0, Math.max(0, maxChars - length)));
      throw new Full();
    }
    out.push(s);
    length += s.length;
  };
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return put(v === null || Number.isFinite(v) || typeof v === 'boolean' ? String(v) : 'null');
    if (typeof v === 'string') return put(JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v));
    if (typeof v !== 'object') return put('null');
    if (depth > 20) return put('"…"');
    if (Array.isArray(v)) {
      put('[');
      v.forEach((item, i) => {
        if (i) put(',');
        walk(item, depth + 1);
      });
      return put(']');
    }
    put('{');
    let first = true;
    const obj = v as Record<string, unknown>;
    // A name/value pair (BlueConic's properties: {id: "email", values: [...]}) named like a sensitive field.
    const pairNamed = NAME_KEYS.some((n) => typeof obj[n] === 'string' && sensitive(obj[n] as string));
    for (const [k, item] of Object.entries(obj)) {
      if (item === undefined) continue;
      put(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      if (item !== null && (sensitive(k) || (pairNamed && VALUE_KEYS.has(k)))) put(JSON.stringify(REDACTED));
      else walk(item, depth + 1);
    }
    put('}');
  };
  try {
    walk(value, 0);
  } catch (e) {
    if (!(e instanceof Full)) throw e;
    return out.join('') + MORE;
  }
  return out.join('');
}

const SECRET_PAIR = /("?)([\w-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|authori[sz]ation|signature)[\w-]*)\1(\s*[:=]\s*)("[^"]*"|[^\s,&}]+)/gi;

/** A response body's start, at most `maxChars`, with `"token": "…"` / `password=…` pairs redacted. */
export function excerptText(text: string | null | undefined, maxChars: number): string | null {
  if (!text) return null;
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}${MORE}` : text;
  return cut.replace(SECRET_PAIR, (_m, q: string, name: string, sep: string, val: string) => `${q}${name}${q}${sep}${val.startsWith('"') ? `"${REDACTED}"` : REDACTED}`);
}
