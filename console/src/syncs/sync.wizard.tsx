import { useState, type FormEvent } from 'react';
import type { Viewer } from '../app.shell';
import { useCatalog } from '../api/catalog';
import { useMutation, useQuery } from '../api/hooks';
import { linkTo, navigate } from '../router';
import { Empty, ErrorBox, Loading } from '../ui/feedback';
import { Select, TextInput } from '../ui/form';
import { MappingEditor, type MappingValue } from '../mapping/mapping.editor';
import { EndpointForm, emptyEndpoint, endpointInput, type EndpointValue } from './endpoint.form';
import { CreateSync, PickListsQuery } from './sync.queries';
import { CompatReport } from './compat.report';

/** New sync: where it lives, how it is triggered, source and target, then the mapping. */
export function SyncWizard({ viewer }: { viewer: Viewer }) {
  const lists = useQuery(PickListsQuery, {});
  const catalog = useCatalog();
  const projects = lists.data?.viewer.tenant?.projects.edges.map((e) => e.node) ?? [];
  const credentials = lists.data?.credentials.edges.map((e) => e.node) ?? [];
  const [projectId, setProjectId] = useState(new URLSearchParams(window.location.search).get('project') ?? '');
  const [name, setName] = useState('');
  const [trigger, setTrigger] = useState<{ kind: 'NOTIFY' | 'PUSH'; idParam: string }>({ kind: 'NOTIFY', idParam: 'id' });
  const [source, setSource] = useState<EndpointValue>(emptyEndpoint());
  const [target, setTarget] = useState<EndpointValue>(emptyEndpoint());
  const [mapping, setMapping] = useState<MappingValue>({ mapping: '', filter: '' });
  const [sample, setSample] = useState('');
  const [create, created] = useMutation(CreateSync);
  if (!viewer.tenant) return <><h1 tabIndex={-1}>New sync</h1><Empty title="Sign in with a tenant token to create syncs" /></>;
  if (lists.loading || catalog.loading) return <><h1 tabIndex={-1}>New sync</h1><Loading what="projects, credentials and connectors" /></>;
  const connectors = catalog.data?.connectors ?? [];
  const project = projectId || projects[0]?.id || '';
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create({ input: {
      projectId: project, name, trigger, mapping: mapping.mapping, filter: mapping.filter.trim() || null,
      source: trigger.kind === 'NOTIFY' ? endpointInput(source) : null, target: endpointInput(target),
    } });
    if (r) navigate(`/syncs/${encodeURIComponent(r.createSync.id)}`);
  }
  return (
    <>
      <h1 tabIndex={-1}>New sync</h1>
      <p className="muted">Or start from a <a {...linkTo('/templates')}>template</a> a developer prepared.</p>
      <ErrorBox error={lists.error ?? catalog.error} />
      <form onSubmit={(e) => void submit(e)} className="wizard">
        <section aria-labelledby="step1"><h2 id="step1">1. Source and target</h2>
          <div className="mapcols">
            <EndpointForm role="source" value={source} onChange={setSource} connectors={connectors} credentials={credentials} connectorOnly={trigger.kind === 'PUSH'} />
            <EndpointForm role="target" value={target} onChange={setTarget} connectors={connectors} credentials={credentials} />
          </div>
          <CompatReport source={source.connector} target={target.connector} />
        </section>
        <section aria-labelledby="step2"><h2 id="step2">2. What and where</h2>
          <TextInput label="Sync name" required value={name} onChange={(e) => setName(e.target.value)} hint="e.g. “BlueConic → Copernica: profile interests”" />
          <Select label="Project" value={project} onChange={(e) => setProjectId(e.target.value)} options={projects.map((p) => ({ value: p.id, label: p.name }))} />
          <Select label="Trigger" value={trigger.kind} onChange={(e) => setTrigger({ ...trigger, kind: e.target.value as 'NOTIFY' | 'PUSH' })}
            options={[{ value: 'NOTIFY', label: 'Notify: the webhook carries an id, the hub fetches the record (recommended)' }, { value: 'PUSH', label: 'Push: the webhook carries the record' }]} />
          {trigger.kind === 'NOTIFY' ? <TextInput label="Id parameter" value={trigger.idParam} onChange={(e) => setTrigger({ ...trigger, idParam: e.target.value })} hint="Query parameter or top-level JSON field that holds the record id" /> : null}
        </section>
        <section aria-labelledby="step3"><h2 id="step3">3. Mapping</h2>
          <MappingEditor value={mapping} onChange={setMapping} sample={sample} onSample={setSample}
            source={connectors.find((c) => c.id === source.connector)} target={connectors.find((c) => c.id === target.connector)} />
        </section>
        <section aria-labelledby="step4"><h2 id="step4">4. Create</h2>
          <p className="muted">The sync starts as draft version 1: test it, then activate it on its page.</p>
          <ErrorBox error={created.error} />
          <button type="submit" className="primary" disabled={created.running}>{created.running ? 'Creating…' : 'Create sync'}</button>
        </section>
      </form>
    </>
  );
}
