import { useState } from 'react';
import { graphql } from '../api/graphql';
import { useQuery } from '../api/hooks';
import { ErrorBox, Loading } from '../ui/feedback';
import { Select } from '../ui/form';

const DiffQuery = graphql(`query Diff($syncId: ID!, $from: Int!, $to: Int!) { diffSyncVersions(syncId: $syncId, from: $from, to: $to) { path before after } }`);

const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/** What changed between two versions, path by path, before and after side by side. */
export function VersionDiff({ syncId, versions }: { syncId: string; versions: number[] }) {
  const [from, setFrom] = useState(versions[1]!);
  const [to, setTo] = useState(versions[0]!);
  const diff = useQuery(DiffQuery, { syncId, from, to });
  const opts = versions.map((v) => ({ value: String(v), label: `v${v}` }));
  return (
    <section className="panel" aria-labelledby="diff-h">
      <h2 id="diff-h">Compare versions</h2>
      <div className="filters">
        <Select label="From" value={String(from)} onChange={(e) => setFrom(Number(e.target.value))} options={opts} />
        <Select label="To" value={String(to)} onChange={(e) => setTo(Number(e.target.value))} options={opts} />
      </div>
      <ErrorBox error={diff.error} />
      {diff.loading ? <Loading what="the differences" /> : diff.data?.diffSyncVersions.length === 0 ? <p className="muted">No differences.</p> : (
        <table className="diff">
          <thead><tr><th scope="col">What</th><th scope="col">v{from}</th><th scope="col">v{to}</th></tr></thead>
          <tbody>{diff.data?.diffSyncVersions.map((c) => (
            <tr key={c.path}><th scope="row"><code>{c.path}</code></th><td className="del"><pre>{show(c.before)}</pre></td><td className="ins"><pre>{show(c.after)}</pre></td></tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
