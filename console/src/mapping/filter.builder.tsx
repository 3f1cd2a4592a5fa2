import { useState } from 'react';
import { TextInput } from '../ui/form';
import { filterFrom, type FilterOp, type SourcePath } from './mapping.model';

/** "Only send when …": one condition built from the sample's fields, or any JSONata condition. */
export function FilterBuilder({ sources, value, onChange }: { sources: SourcePath[]; value: string; onChange(v: string): void }) {
  const [source, setSource] = useState('');
  const [op, setOp] = useState<FilterOp>('=');
  const [operand, setOperand] = useState('');
  return (
    <fieldset className="filterbox">
      <legend>Filter (optional)</legend>
      <div className="pickrow">
        <label>Only send when
          <select aria-label="Filter field" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">choose a field…</option>
            {sources.map((s) => <option key={s.expr} value={s.expr}>{s.label}</option>)}
          </select>
        </label>
        <label>Condition
          <select aria-label="Filter condition" value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
            <option value="=">equals</option><option value="!=">differs from</option><option value="in">contains</option><option value="exists">is present</option>
          </select>
        </label>
        {op !== 'exists' ? <label>Value<input aria-label="Filter value" value={operand} onChange={(e) => setOperand(e.target.value)} /></label> : null}
        <button type="button" disabled={!source} onClick={() => onChange(filterFrom(source, op, operand))}>Use this condition</button>
      </div>
      <TextInput label="Filter (JSONata condition)" className="code" value={value} onChange={(e) => onChange(e.target.value)}
        hint="Empty: every record is sent. Records it does not hold for are logged as FILTERED." />
    </fieldset>
  );
}
