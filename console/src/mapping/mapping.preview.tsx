import { useEffect, useState } from 'react';
import type { ResultOf } from 'gql.tada';
import { graphql } from '../api/graphql';
import { ApiError, request } from '../api/client';
import { ErrorBox } from '../ui/feedback';

const PreviewMapping = graphql(`query PreviewMapping($input: PreviewMappingInput!) {
  previewMapping(input: $input) { output passesFilter error { message position token in } }
}`);
type Preview = ResultOf<typeof PreviewMapping>['previewMapping'];

/** The expression with a caret under the failing position, as JSONata reports it. */
function Pointer({ text, position }: { text: string; position: number }) {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const col = position - before.lastIndexOf('\n') - 1;
  return <small>line {line}, column {col + 1}: <code>{text.split('\n')[line - 1]}</code></small>;
}

/** Live: what the mapping (and filter) make of the sample record, debounced, through previewMapping. */
export function MappingPreview({ mapping, filter, sample }: { mapping: string; filter: string; sample: unknown }) {
  const [result, setResult] = useState<{ preview?: Preview; error?: ApiError; busy: boolean }>({ busy: false });
  const key = JSON.stringify([mapping, filter, sample]);
  useEffect(() => {
    if (!mapping.trim() || sample === undefined) return;
    let live = true;
    setResult((r) => ({ ...r, busy: true }));
    const t = setTimeout(() => {
      request(PreviewMapping, { input: { mapping, record: sample, filter: filter.trim() || null } }).then(
        (d) => live && setResult({ preview: d.previewMapping, busy: false }),
        (e: unknown) => live && setResult({ error: e as ApiError, busy: false }),
      );
    }, 350);
    return () => { live = false; clearTimeout(t); };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const p = result.preview;
  return (
    <section className="preview" aria-labelledby="preview-h" aria-busy={result.busy}>
      <h3 id="preview-h">Preview {result.busy ? <small className="muted">(updating…)</small> : null}</h3>
      {sample === undefined ? <p className="muted">Add a sample record to see what the target will receive.</p> : null}
      <ErrorBox error={result.error} />
      {p?.error ? (
        <div className="error" role="alert">
          <strong>The {p.error.in} does not run</strong>
          <p>{p.error.message}{p.error.token ? <> near <code>{p.error.token}</code></> : null}</p>
          {p.error.position != null ? <Pointer text={p.error.in === 'filter' ? filter : mapping} position={p.error.position} /> : null}
        </div>
      ) : null}
      {p && !p.error ? (
        <>
          {p.passesFilter === false ? <p className="notice" role="status">The filter leaves this record out: nothing would be sent.</p> : null}
          {p.passesFilter === true ? <p className="muted">The filter lets this record through.</p> : null}
          <pre data-testid="preview-output" aria-label="The target would receive">{JSON.stringify(p.output, null, 2)}</pre>
        </>
      ) : null}
    </section>
  );
}
