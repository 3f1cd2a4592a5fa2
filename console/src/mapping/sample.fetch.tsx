import { useState } from 'react';
import { readFragment } from 'gql.tada';
import { useMutation } from '../api/hooks';
import { ErrorBox } from '../ui/feedback';
import { RunFields, RunSandbox } from '../syncs/sandbox.queries';

/** Fetches one real record from the sync's source (a dry sandbox run) to map against. */
export function SampleFetch({ syncId, version, onSample }: { syncId: string; version: number; onSample(text: string): void }) {
  const [entityId, setEntityId] = useState('');
  const [run, ran] = useMutation(RunSandbox);
  const [note, setNote] = useState('');
  async function go() {
    const r = await run({ syncId, version, mode: 'DRY_RUN', input: { entityId: entityId.trim() } });
    if (!r) return;
    const fetched = readFragment(RunFields, r.runSandbox).steps.find((s) => s.step === 'fetch');
    if (fetched?.output != null) { onSample(JSON.stringify(fetched.output, null, 2)); setNote(''); }
    else setNote(fetched?.error?.message ?? 'The source returned nothing for this id');
  }
  return (
    <div className="inline">
      <label>Record id at the source<input aria-label="Record id at the source" value={entityId} onChange={(e) => setEntityId(e.target.value)} /></label>
      <button type="button" disabled={!entityId.trim() || ran.running} onClick={() => void go()}>{ran.running ? 'Fetching…' : 'Fetch a sample from the source'}</button>
      {note ? <p className="error" role="alert">{note}</p> : null}
      <ErrorBox error={ran.error} />
    </div>
  );
}
