// The `fields[]` selector of Copernica REST v3 (CP-v3 rest-fields-parameter) and list ordering.
import type { Database, StoredProfile } from './copernica.store';

export type FieldOperator = '==' | '!=' | '<' | '>' | '<=' | '>=' | '=~' | '!~';

export interface FieldCondition {
  /** A database field, or one of the special fields id / code / modified. */
  field: string;
  special: boolean;
  op: FieldOperator;
  value: string;
}

const OPERATORS: Record<string, FieldOperator> = {
  '==': '==', '!=': '!=', '<>': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '=~': '=~', '!~': '!~',
};
const SPECIAL_FIELDS = ['id', 'code', 'modified'];

/**
 * Parses `name<op>value` statements. As observed on the live API [CP-obs], unknown fields and
 * statements that do not parse are ignored rather than rejected; field names match
 * case-insensitively, and a real field wins over a special name.
 */
export function parseFieldConditions(statements: string[], db: Database): FieldCondition[] {
  const conditions: FieldCondition[] = [];
  for (const statement of statements) {
    const m = /^(.+?)([=<>!~]{1,2})(.*)$/s.exec(statement.trim());
    if (!m) continue;
    const op = OPERATORS[m[2]];
    if (!op) continue;
    const real = db.fields.find((f) => f.toLowerCase() === m[1].toLowerCase());
    if (real !== undefined) conditions.push({ field: real, special: false, op, value: m[3] });
    else if (SPECIAL_FIELDS.includes(m[1].toLowerCase())) conditions.push({ field: m[1].toLowerCase(), special: true, op, value: m[3] });
  }
  return conditions;
}

function fieldValue(p: StoredProfile, c: Pick<FieldCondition, 'field' | 'special'>): string {
  if (!c.special) return p.fields[c.field] ?? '';
  if (c.field === 'id') return String(p.id);
  if (c.field === 'code') return p.secret;
  return p.modified;
}

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

/** Numbers compare as numbers, everything else as case-insensitive text (MySQL's default collation). */
function compare(a: string, b: string): number {
  if (isNumber(a) && isNumber(b)) return Number(a) - Number(b);
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** SQL LIKE: % any run, _ one character, case-insensitive, whole value. */
function like(value: string, pattern: string): boolean {
  const source = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'is').test(value);
}

export function matchesAll(p: StoredProfile, conditions: FieldCondition[]): boolean {
  return conditions.every((c) => {
    const v = fieldValue(p, c);
    switch (c.op) {
      case '==': return compare(v, c.value) === 0;
      case '!=': return compare(v, c.value) !== 0;
      case '<': return compare(v, c.value) < 0;
      case '>': return compare(v, c.value) > 0;
      case '<=': return compare(v, c.value) <= 0;
      case '>=': return compare(v, c.value) >= 0;
      case '=~': return like(v, c.value);
      case '!~': return !like(v, c.value);
    }
  });
}

/** `orderby` (id | modified | a field; `random` and unknown names fall back to id) and `order`. */
export function sortProfiles(profiles: StoredProfile[], db: Database, orderby: string | null, order: string | null): StoredProfile[] {
  const key = (orderby ?? 'id').toLowerCase();
  const field = db.fields.find((f) => f.toLowerCase() === key);
  const by: Pick<FieldCondition, 'field' | 'special'> =
    field !== undefined ? { field, special: false } : key === 'modified' ? { field: 'modified', special: true } : { field: 'id', special: true };
  const direction = /^desc(ending)?$/i.test(order ?? '') ? -1 : 1;
  return [...profiles].sort((a, b) => direction * (compare(fieldValue(a, by), fieldValue(b, by)) || a.id - b.id));
}
