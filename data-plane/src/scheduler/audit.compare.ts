/**
 * Does the target hold what the hub would send? Every value of the mapped payload must be found
 * in the record read back: objects key by key, arrays element by element in any order (each
 * expected element must match some actual one), scalars as strings (platforms answer "2" for 2).
 * Fields the target adds (ids, dates) are ignored. Pure: no I/O.
 */
export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

export function compareMapped(expected: unknown, actual: unknown, path = ''): Difference[] {
  if (isEmpty(expected)) return isEmpty(actual) || actual === undefined ? [] : scalarEqual(expected, actual) ? [] : [{ path: path || '.', expected, actual }];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path: path || '.', expected, actual: actual ?? null }];
    const missing = expected.filter((e) => !actual.some((a) => compareMapped(e, a).length === 0));
    return missing.length ? [{ path: path || '.', expected: missing, actual }] : [];
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [{ path: path || '.', expected, actual: actual ?? null }];
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => compareMapped(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return scalarEqual(expected, actual) ? [] : [{ path: path || '.', expected, actual: actual ?? null }];
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function scalarEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof b === 'object' && b !== null) return false;
  return String(a) === String(b);
}
