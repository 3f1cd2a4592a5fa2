import { graphql } from '../api/graphql';
import { useQuery } from '../api/hooks';
import { ErrorBox, Loading } from '../ui/feedback';

const CompatQuery = graphql(`query Compat($source: String!, $target: String!) {
  compatibility(source: $source, target: $target) {
    compatible needs unmatchedTargetFields
    triggers { kind available operations detail }
    fields { sourceField sourceType targetField targetType basis typeCompatible note }
    sourceAuth { kind detail } targetAuth { kind detail }
    formats { side what }
  }
}`);

/** What a sync between two connectors can use and still needs, from the connector manifests. */
export function CompatReport({ source, target }: { source: string; target: string }) {
  const q = useQuery(CompatQuery, { source, target }, !source || !target);
  if (!source || !target) return <p className="muted">Choose a source and a target to see what a sync between them can do.</p>;
  if (q.loading && !q.data) return <Loading what="the compatibility report" />;
  const r = q.data?.compatibility;
  return (
    <section className="panel" aria-labelledby="compat-h" data-testid="compat-report">
      <h3 id="compat-h">Compatibility: {source} → {target} <span className={`badge ${r?.compatible ? 'ok' : 'bad'}`}>{r?.compatible ? 'compatible' : 'not compatible'}</span></h3>
      <ErrorBox error={q.error} />
      {r ? (
        <>
          <ul>{r.triggers.map((t) => <li key={t.kind}><strong>{t.kind}</strong>: {t.available ? 'available' : 'not available'} — {t.detail}</li>)}</ul>
          {r.needs.length ? <><p>Still needed:</p><ul>{r.needs.map((n) => <li key={n}>{n}</li>)}</ul></> : null}
          <p className="muted">Credentials: source {r.sourceAuth.map((a) => a.kind).join(', ')}; target {r.targetAuth.map((a) => a.kind).join(', ')}.</p>
          {r.fields.length ? (
            <details><summary>Fields that map ({r.fields.length})</summary>
              <table><thead><tr><th scope="col">Source</th><th scope="col">Target</th><th scope="col">Why</th></tr></thead>
                <tbody>{r.fields.map((f) => <tr key={`${f.sourceField}>${f.targetField}`}><td>{f.sourceField} <small>({f.sourceType})</small></td><td>{f.targetField} <small>({f.targetType})</small></td><td>{f.basis}{f.typeCompatible ? '' : ' · types differ'} {f.note}</td></tr>)}</tbody></table>
            </details>
          ) : null}
          {r.unmatchedTargetFields.length ? <p>The mapping must produce: {r.unmatchedTargetFields.map((f) => <code key={f}>{f} </code>)}</p> : null}
        </>
      ) : null}
    </section>
  );
}
