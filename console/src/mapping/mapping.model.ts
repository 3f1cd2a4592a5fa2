/**
 * The marketeer's picks as data, and the JSONata they stand for. Pure functions: the editor
 * renders them, the preview runs their output through previewMapping.
 */
export interface SourcePath { expr: string; label: string; example: unknown }
export interface MappingRow { target: string; key: string; source: string }
export interface TargetField { name: string; type: string; description?: string | null }

const IDENT = /^[A-Za-z_$][\w$]*$/;
const step = (base: string, key: string) => `${base}.${IDENT.test(key) ? key : `\`${key}\``}`;
const isPropertyList = (a: unknown[]) => a.length > 0 && a.every((x) => x && typeof x === 'object' && 'id' in x && 'values' in x);

/** Every value a mapping can pick from a sample record, as JSONata paths under `record`. */
export function sourcePaths(value: unknown, base = 'record', label = ''): SourcePath[] {
  if (Array.isArray(value)) {
    if (isPropertyList(value)) {
      // BlueConic-style [{id, values: [...]}]: pick a property by its id, not its position.
      return value.flatMap((p: { id: string; values: unknown[] }) => [
        { expr: `${base}[id = ${JSON.stringify(p.id)}].values[0]`, label: `${label ? `${label}.` : ''}${p.id}`, example: p.values[0] },
        ...(p.values.length > 1 ? [{ expr: `${base}[id = ${JSON.stringify(p.id)}].values`, label: `${label ? `${label}.` : ''}${p.id} (all values)`, example: p.values }] : []),
      ]);
    }
    const first = value[0];
    if (first && typeof first === 'object') return sourcePaths(first, `${base}[0]`, `${label}first `);
    return [{ expr: base, label: `${label || base} (all)`, example: value }, ...(value.length ? [{ expr: `${base}[0]`, label: `${label || base} (first)`, example: first }] : [])];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => sourcePaths(v, step(base, k), label ? `${label}.${k}` : k));
  }
  return [{ expr: base, label: label || base, example: value }];
}

function indent(s: string, by: string): string {
  return s.split('\n').join(`\n${by}`);
}

/** The JSONata object the rows describe; list-typed target fields get every value ([…]). */
export function mappingFromRows(rows: MappingRow[], fields: TargetField[]): string {
  const tree = new Map<string, string | Map<string, string>>();
  for (const r of rows) {
    if (!r.target || !r.source) continue;
    const type = fields.find((f) => f.name === r.target)?.type ?? 'string';
    const expr = type.endsWith('[]') ? `[${r.source}]` : r.source;
    if (type === 'object' && r.key) {
      const sub = tree.get(r.target);
      const m = sub instanceof Map ? sub : new Map<string, string>();
      m.set(r.key, expr);
      tree.set(r.target, m);
    } else if (type !== 'object') {
      tree.set(r.target, expr);
    }
  }
  const obj = (entries: [string, string][]) => `{\n${entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(v, '  ')}`).join(',\n')}\n}`;
  return obj([...tree].map(([k, v]) => [k, v instanceof Map ? obj([...v]) : v]));
}

export type FilterOp = '=' | '!=' | 'exists' | 'in';

/** A one-condition filter, e.g. only profiles whose optin is "true". */
export function filterFrom(source: string, op: FilterOp, value: string): string {
  if (op === 'exists') return `$exists(${source})`;
  if (op === 'in') return `${JSON.stringify(value)} in ${source}`;
  return `${source} ${op} ${JSON.stringify(value)}`;
}
