// Reading Copernica request bodies leniently: JSON or PHP-style form fields, interests as a list
// or as a {name: 0|1} object.
import { InterestChange } from './copernica.store';

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function truthy(v: unknown): boolean {
  if (typeof v === 'string') return /^(1|true|yes|on)$/i.test(v.trim());
  if (typeof v === 'number') return v !== 0;
  return v === true;
}

/** A list switches interests on; an object switches each named interest on or off. */
export function interestChange(raw: unknown): InterestChange {
  if (raw === undefined || raw === null) return { on: [], off: [] };
  if (typeof raw === 'string') return { on: raw.trim() ? [raw.trim()] : [], off: [] };
  if (Array.isArray(raw)) return { on: raw.filter((v) => v !== null && v !== undefined && String(v).trim() !== '').map(String), off: [] };
  if (isRecord(raw)) {
    const entries = Object.entries(raw);
    return { on: entries.filter(([, v]) => truthy(v)).map(([k]) => k), off: entries.filter(([, v]) => !truthy(v)).map(([k]) => k) };
  }
  return { on: [], off: [] };
}

/**
 * The `fields` member of a create/upsert body: an object, or absent. PHP sends an empty object as
 * `[]`, so arrays count as objects (their numeric keys match no field). Scalars are invalid.
 */
export function fieldsOf(body: unknown): Record<string, unknown> | 'invalid' {
  if (body === undefined) return {};
  if (!isRecord(body)) return 'invalid';
  const fields = body.fields;
  if (fields === undefined || fields === null) return {};
  if (Array.isArray(fields)) return { ...fields };
  return isRecord(fields) ? fields : 'invalid';
}

/** Truthy query flags such as create=1 / create=true. */
export function flag(value: string | null): boolean {
  return value !== null && truthy(value);
}
