import { useState } from 'react';
import { useCatalog } from '../api/catalog';
import { useMutation } from '../api/hooks';
import { Empty, ErrorBox, Notice, When } from '../ui/feedback';
import { TextInput } from '../ui/form';
import { MappingEditor, type MappingValue } from '../mapping/mapping.editor';
import { SampleFetch } from '../mapping/sample.fetch';
import { ActivateVersion, SaveDraft } from './sync.queries';
import { VersionDiff } from './version.diff';
import { SaveAsTemplate } from './template.save';
import type { SyncData } from './sync.page';

type Version = SyncData['versions'][number];

const endpoint = (e: NonNullable<Version['source']>) => ({ connector: e.connector, operation: e.operation, credentialId: e.credentialId, baseUrl: e.baseUrl, params: e.params });

/** Versions with activation and rollback, the draft's mapping editor, a diff between two versions. */
export function VersionsPanel({ sync, onChanged }: { sync: SyncData; onChanged(): void }) {
  const catalog = useCatalog();
  const versions = [...sync.versions].sort((a, b) => b.version - a.version);
  const latest = versions[0];
  const [activate, activated] = useMutation(ActivateVersion);
  const [save, saved] = useMutation(SaveDraft);
  const [draft, setDraft] = useState<MappingValue>({ mapping: latest?.mapping ?? '', filter: latest?.filter ?? '' });
  const [sample, setSample] = useState('');
  const [done, setDone] = useState('');
  const [overrideFor, setOverrideFor] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  if (!latest) return <Empty title="This sync has no versions" />;
  const connectors = catalog.data?.connectors ?? [];
  async function doActivate(v: number, override?: { reason: string }) {
    const rollback = sync.activeVersion != null && v < sync.activeVersion;
    const r = await activate({ syncId: sync.id, version: v, override: override ?? null });
    if (!r) return setOverrideFor(v);
    const warning = r.activateSyncVersion.versions.find((x) => x.version === v)?.activationCheck?.warning;
    setOverrideFor(null);
    setDone(`${rollback ? `Rolled back to v${v}` : `v${v} is live`}${warning ? ` — ${warning}` : ''}`);
    onChanged();
  }
  async function doSave() {
    const r = await save({ syncId: sync.id, definition: {
      trigger: latest!.trigger, source: latest!.source ? endpoint(latest!.source) : null, target: endpoint(latest!.target),
      mapping: draft.mapping, filter: draft.filter.trim() || null, delivery: latest!.delivery,
    } });
    if (r) { setDone(`Saved as draft v${r.saveSyncDraft.version}`); onChanged(); }
  }
  return (
    <>
      {done ? <Notice>{done}</Notice> : null}
      <ErrorBox error={activated.error} title="Not activated" />
      {overrideFor != null && activated.error?.code === 'CONFLICT' ? (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void doActivate(overrideFor, { reason }); }}>
          <TextInput label="Activate anyway (admin): reason, kept in the audit log" required value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" className="danger">Override and activate v{overrideFor}</button>
        </form>
      ) : null}
      <div className="tablewrap"><table>
        <caption>Versions (activated versions are immutable; activating an older one rolls back)</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">State</th><th scope="col">Source → target</th><th scope="col">Created</th><th scope="col">Activated</th><th scope="col">Action</th></tr></thead>
        <tbody>{versions.map((v) => (
          <tr key={v.id}>
            <td>v{v.version}</td>
            <td><span className={`badge ${v.state === 'ACTIVE' ? 'ok' : ''}`}>{v.state}</span>
              {v.activationCheck ? <><br /><small title={v.activationCheck.warning ?? v.activationCheck.overrideReason ?? ''}>tests: {v.activationCheck.status.replace(/_/g, ' ').toLowerCase()}</small></> : null}</td>
            <td>{v.source ? `${v.source.connector}.${v.source.operation}` : 'push'} → {v.target.connector}.{v.target.operation}</td>
            <td><When at={v.createdAt} /></td><td><When at={v.activatedAt} /></td>
            <td>{v.state !== 'ACTIVE' ? (
              <button type="button" className="small" disabled={activated.running} onClick={() => void doActivate(v.version)}>
                {sync.activeVersion != null && v.version < sync.activeVersion ? `Roll back to v${v.version}` : `Activate v${v.version}`}
              </button>) : null}</td>
          </tr>
        ))}</tbody>
      </table></div>
      {versions.length > 1 ? <VersionDiff syncId={sync.id} versions={versions.map((v) => v.version)} /> : null}
      <section className="panel" aria-labelledby="draft-h">
        <h2 id="draft-h">{latest.state === 'DRAFT' ? `Edit draft v${latest.version}` : `Change the mapping (saves a new draft v${latest.version + 1})`}</h2>
        <MappingEditor value={draft} onChange={setDraft} sample={sample} onSample={setSample}
          sampleActions={latest.source ? <SampleFetch syncId={sync.id} version={latest.version} onSample={setSample} /> : null}
          source={connectors.find((c) => c.id === latest.source?.connector)} target={connectors.find((c) => c.id === latest.target.connector)} />
        <ErrorBox error={saved.error} />
        <button type="button" className="primary" disabled={saved.running} onClick={() => void doSave()}>Save draft</button>
      </section>
      <SaveAsTemplate version={latest} syncName={sync.name} />
    </>
  );
}
