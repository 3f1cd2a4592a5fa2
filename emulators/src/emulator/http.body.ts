// Reading and parsing request bodies the way the vendors do: by Content-Type.
import type { IncomingMessage } from 'node:http';
import { formPairs } from '../oauth1/oauth1.encode';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new BodyTooLarge(`body over ${limitBytes} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export type ParsedBody = { ok: true; body: unknown } | { ok: false; error: string };

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * JSON when the Content-Type says JSON, form fields when it says form-urlencoded. Without a
 * Content-Type, JSON is tried first and then form fields (lenient; real clients always send one).
 */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw.trim() === '') return { ok: true, body: undefined };
  const type = mediaType(contentType);
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') return { ok: true, body: parseForm(raw) };
  if (type === '') {
    const json = parseJson(raw);
    return json.ok ? json : { ok: true, body: parseForm(raw) };
  }
  return { ok: true, body: raw };
}

function parseJson(raw: string): ParsedBody {
  try {
    return { ok: true, body: JSON.parse(raw) as unknown };
  } catch (e) {
    return { ok: false, error: `malformed JSON: ${(e as Error).message}` };
  }
}

type FormValue = string | FormValue[] | { [key: string]: FormValue };

/**
 * Form fields with PHP-style brackets, as Copernica's own client sends them:
 * `fields[email]=a` → {fields:{email:'a'}}, `interests[]=x` → {interests:['x']}; a name given
 * twice without brackets keeps the last value.
 */
export function parseForm(raw: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [name, value] of formPairs(raw)) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(name);
    if (!m) {
      root[name] = value;
      continue;
    }
    const keys = [m[1], ...[...m[2].matchAll(/\[([^\]]*)\]/g)].map((k) => k[1])];
    if (keys.includes('__proto__')) continue;
    // Arrays are indexed with numeric strings here, which JavaScript accepts.
    let node = root as Record<string, FormValue>;
    for (let i = 0; i < keys.length; i++) {
      const slot = keys[i] === '' && Array.isArray(node) ? String(node.length) : keys[i];
      if (i === keys.length - 1) {
        node[slot] = value;
        break;
      }
      if (typeof node[slot] !== 'object') node[slot] = keys[i + 1] === '' ? [] : {};
      node = node[slot] as Record<string, FormValue>;
    }
  }
  return root;
}

/** URLSearchParams as a plain record; repeated names become arrays. */
export function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
