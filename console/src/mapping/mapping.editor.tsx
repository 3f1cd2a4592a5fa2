import { useMemo, useState, type ReactNode } from 'react';
import type { Connector } from '../api/catalog';
import { TextArea } from '../ui/form';
import { FieldPicker } from './field.picker';
import { FilterBuilder } from './filter.builder';
import { MappingPreview } from './mapping.preview';
import { mappingFromRows, sourcePaths, type MappingRow } from './mapping.model';

export interface MappingValue { mapping: string; filter: string }

function parseSample(text: string): { value?: unknown; error?: string } {
  if (!text.trim()) return {};
  try { return { value: JSON.parse(text) }; } catch (e) { return { error: (e as Error).message }; }
}

/**
 * The marketeer's mapping editor: pick target fields (from the target connector's catalog) and the
 * source values that fill them (from a sample record); it writes the JSONata, which developers can
 * edit; the preview runs the result through previewMapping as you go.
 */
export function MappingEditor({ value, onChange, source, target, sample, onSample, sampleActions }: {
  value: MappingValue; onChange(v: MappingValue): void; source?: Connector; target?: Connector;
  sample: string; onSample(text: string): void; sampleActions?: ReactNode;
}) {
  const [rows, setRows] = useState<MappingRow[]>([]);
  const [handEdited, setHandEdited] = useState(value.mapping.trim() !== '');
  const parsed = parseSample(sample);
  const sources = useMemo(() => (parsed.value === undefined ? [] : sourcePaths(parsed.value)), [sample]); // eslint-disable-line react-hooks/exhaustive-deps
  const targets = target?.fields ?? [];
  function pick(next: MappingRow[]) {
    setRows(next);
    setHandEdited(false);
    onChange({ ...value, mapping: mappingFromRows(next, targets) });
  }
  return (
    <div className="mapping">
      <div className="mapcols">
        <div>
          <TextArea label={`Sample record${source ? ` from ${source.name}` : ''}`} rows={10} value={sample} onChange={(e) => onSample(e.target.value)}
            hint={source ? `What ${source.name} returns for one record (fields: ${source.fields.map((f) => f.name).join(', ')}). Paste one, or fetch one.` : 'Paste one record as JSON.'} />
          {sampleActions}
          {parsed.error ? <p className="error" role="alert">The sample is not valid JSON: {parsed.error}</p> : null}
        </div>
        <div>
          <FieldPicker rows={rows} onRows={pick} sources={sources} targets={targets} targetName={target?.name ?? 'the target'} />
          {handEdited ? <p className="muted">The JSONata below was written by hand; picking fields replaces it.</p> : null}
        </div>
      </div>
      <TextArea label="Mapping (JSONata)" rows={8} className="code" value={value.mapping}
        onChange={(e) => { setHandEdited(true); onChange({ ...value, mapping: e.target.value }); }}
        hint={<>Over <code>record</code> (the source record) and <code>event</code>; produces what the target receives. Written by the picker; developers can edit it.</>} />
      <FilterBuilder sources={sources} value={value.filter} onChange={(filter) => onChange({ ...value, filter })} />
      <MappingPreview mapping={value.mapping} filter={value.filter} sample={parsed.value} />
    </div>
  );
}
