import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level (undefined members left out, as JSON.stringify does),
 * so equal values hash equally whatever their key order. Written as loops: it runs for every
 * delivered event (change detection).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** SHA-256, hex. The one-shot `crypto.hash` is about 2.5× faster than a Hash object for short input. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** SHA-256 hex of the canonical JSON of a value: change detection's payload hash, the guide's entity `hash`. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
