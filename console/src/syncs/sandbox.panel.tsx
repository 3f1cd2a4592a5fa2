import { useState, type FormEvent } from 'react';
import { readFragment } from 'gql.tada';
import { ApiError } from '../api/client';
import { useMutation, useQuery } from '../api/hooks';
import { Empty, ErrorBox, Loading, When } from '../ui/feedback';
import { Select, TextArea, TextInput } from '../ui/form';
import { DeleteTestCase, RunFields, RunSandbox, SandboxQuery } from './sandbox.queries';
import { SandboxRunView } from './sandbox.run';
import type { SyncData } from './sync.page';

type Mode = 'DRY_RUN' | 'SANDBOX_TARGET' | 'LIVE_PROBE';

/** Test before going live: run a version on a sample, keep good runs as test cases (activation requires them). */
export function SandboxPanel({ sync }: { sync: SyncData }) {
  const versions = [...sync.versions].sort((a, b) => b.version - a.version);
  const [version, setVersion] = useState(versions[0]?.version ?? 1);
  const [mode, setMode] = useState<Mode>('DRY_RUN');
  const [entityId, setEntityId] = useState('');
  const [record, setRecord] = useState('');
  const [local, setLocal] = useState<ApiError>();
  const data = useQuery(SandboxQuery, { id: sync.id });
  const [run, ran] = useMutation(RunSandbox);
  const [remove, removed] = useMutation(DeleteTestCase);
  const isPush = versions.find((v) => v.version === version)?.trigger.kind === 'PUSH';
  async function submit(e: FormEvent) {
    e.preventDefault();
    setLocal(undefined);
    let input: { entityId?: string; record?: Record<string, unknown> };
    try {
      input = record.trim() ? { record: JSON.parse(record) } : { entityId: entityId.trim() };
    } catch (err) {
      return setLocal(new ApiError(`The record is not valid JSON: ${(err as Error).message}`, 'BAD_USER_INPUT', 'record'));
    }
    if (await run({ syncId: sync.id, version, mode, input })) data.reload();
  }
  const last = ran.data ? readFragment(RunFields, ran.data.runSandbox) : undefined;
  const s = data.data?.sync;
  return (
    <>
      <h2>Test before going live</h2>
      <form onSubmit={(e) => void submit(e)} className="panel">
        <div className="filters">
          <Select label="Version" value={String(version)} onChange={(e) => setVersion(Number(e.target.value))} options={versions.map((v) => ({ value: String(v.version), label: `v${v.version} (${v.state.toLowerCase()})` }))} />
          <Select label="Mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)} options={[
            { value: 'DRY_RUN', label: 'Dry run: build the request, send nothing' },
            { value: 'SANDBOX_TARGET', label: "Send to the sync's sandbox target" },
            { value: 'LIVE_PROBE', label: 'One real delivery (probe)' }]} />
          {isPush ? null : <TextInput label="Record id at the source" value={entityId} onChange={(e) => setEntityId(e.target.value)} hint="The hub fetches it, as a webhook would make it" />}
        </div>
        <TextArea label={isPush ? 'Pushed record (JSON)' : 'Or a record (JSON) instead of fetching one'} rows={4} className="code" value={record} onChange={(e) => setRecord(e.target.value)} />
        <ErrorBox error={local ?? ran.error} />
        <button type="submit" className="primary" disabled={ran.running || (!entityId.trim() && !record.trim())}>{ran.running ? 'Running…' : 'Run sandbox'}</button>
      </form>
      {last ? <SandboxRunView run={last} syncId={sync.id} onSaved={data.reload} /> : null}
      <section className="panel" aria-labelledby="tc-h">
        <h2 id="tc-h">Test cases</h2>
        <ErrorBox error={data.error ?? removed.error} />
        {data.loading && !s ? <Loading what="test cases" /> : !s?.testCases.length ? (
          <Empty title="No test cases yet">Run the sandbox on a typical record and keep the run as a test case: every activation then checks it.</Empty>
        ) : (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Input</th><th scope="col">Expected</th><th scope="col">Saved</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>{s.testCases.map((t) => (
              <tr key={t.id}><td>{t.name}</td><td><pre>{JSON.stringify(t.input)}</pre></td><td><details><summary>payload</summary><pre>{JSON.stringify(t.expected, null, 2)}</pre></details></td>
                <td><When at={t.createdAt} /></td><td><button type="button" className="small danger" onClick={() => void remove({ id: t.id }).then(data.reload)}>Delete</button></td></tr>
            ))}</tbody>
          </table>
        )}
      </section>
      {s && s.sandboxRuns.totalCount > 0 ? (
        <details className="panel"><summary>Recent runs ({s.sandboxRuns.totalCount})</summary>
          {s.sandboxRuns.edges.map((e) => { const r = readFragment(RunFields, e.node); return <SandboxRunView key={r.id} run={r} syncId={sync.id} onSaved={data.reload} />; })}
        </details>
      ) : null}
    </>
  );
}
