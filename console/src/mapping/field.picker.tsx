import type { MappingRow, SourcePath, TargetField } from './mapping.model';

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v).slice(0, 40));

/** One row per target field: which source value fills it. Built for people who don't write JSONata. */
export function FieldPicker({ rows, onRows, sources, targets, targetName }: {
  rows: MappingRow[]; onRows(rows: MappingRow[]): void; sources: SourcePath[]; targets: TargetField[]; targetName: string;
}) {
  const set = (i: number, patch: Partial<MappingRow>) => onRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="picker">
      <legend>Fields sent to {targetName}</legend>
      {rows.length === 0 ? <p className="muted">Add a field, then choose which value of the source record fills it.</p> : null}
      {rows.map((r, i) => {
        const type = targets.find((t) => t.name === r.target)?.type;
        return (
          <div className="pickrow" key={i} role="group" aria-label={`Field ${i + 1}`}>
            <label>Target field
              <select aria-label={`Target field ${i + 1}`} value={r.target} onChange={(e) => set(i, { target: e.target.value })}>
                <option value="">choose…</option>
                {targets.map((t) => <option key={t.name} value={t.name}>{t.name} ({t.type}){t.description ? ` — ${t.description}` : ''}</option>)}
              </select>
            </label>
            {type === 'object' ? (
              <label>Key in {r.target}
                <input aria-label={`Key in ${r.target} ${i + 1}`} value={r.key} onChange={(e) => set(i, { key: e.target.value })} placeholder="e.g. email" />
              </label>
            ) : null}
            <label>From source
              <select aria-label={`Source of field ${i + 1}`} value={r.source} onChange={(e) => set(i, { source: e.target.value })}>
                <option value="">choose…</option>
                {sources.map((s) => <option key={s.expr} value={s.expr}>{s.label} = {show(s.example)}</option>)}
              </select>
            </label>
            <button type="button" className="small" onClick={() => onRows(rows.filter((_, j) => j !== i))} aria-label={`Remove field ${i + 1}`}>Remove</button>
          </div>
        );
      })}
      <button type="button" onClick={() => onRows([...rows, { target: '', key: '', source: '' }])}>Add field</button>
    </fieldset>
  );
}
