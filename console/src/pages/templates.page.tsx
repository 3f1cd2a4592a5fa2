import { useState, type FormEvent } from 'react';
import type { ResultOf } from 'gql.tada';
import type { Viewer } from '../app.shell';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation, useQuery } from '../api/hooks';
import { navigate } from '../router';
import { Empty, ErrorBox, Loading, Pager } from '../ui/feedback';
import { Select, TextInput } from '../ui/form';
import { PickListsQuery } from '../syncs/sync.queries';

const TemplatesQuery = graphql(`query Templates($after: String) {
  syncTemplates(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id name description shared mapping filter parameters { name description required default }
    source { connector operation baseUrl } target { connector operation baseUrl }
  } } }
}`);
const FromTemplate = graphql(`mutation FromTemplate($input: CreateSyncFromTemplateInput!) { createSyncFromTemplate(input: $input) { id } }`);
type Template = ResultOf<typeof TemplatesQuery>['syncTemplates']['edges'][number]['node'];

export function TemplatesPage({ viewer }: { viewer: Viewer }) {
  const list = useConnection(async (after) => (await request(TemplatesQuery, { after })).syncTemplates, 'templates');
  const [using, setUsing] = useState<Template | null>(null);
  return (
    <>
      <h1 tabIndex={-1}>Templates</h1>
      <p className="muted">Setups a developer prepared: pick one, choose your accounts, and a draft sync is made from it. Save a sync as a template from its page.</p>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="templates" /> : list.nodes.length === 0 ? (
        <Empty title="No templates yet">Open a sync and use “Save as a template” to reuse its setup.</Empty>
      ) : (
        <ul className="cards">{list.nodes.map((t) => (
          <li key={t.id} className="card">
            <h2>{t.name} {t.shared ? <span className="badge">shared</span> : null}</h2>
            <p>{t.description || <span className="muted">No description</span>}</p>
            <p><small>{t.source ? `${t.source.connector}.${t.source.operation}` : 'push'} → {t.target.connector}.{t.target.operation}</small></p>
            <details><summary>Mapping</summary><pre>{t.mapping}</pre></details>
            {viewer.tenant ? <button type="button" onClick={() => setUsing(t)}>Use this template</button> : null}
          </li>
        ))}</ul>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      {using ? <UseTemplate template={using} /> : null}
    </>
  );
}

function UseTemplate({ template }: { template: Template }) {
  const lists = useQuery(PickListsQuery, {});
  const [create, created] = useMutation(FromTemplate);
  const [v, setV] = useState<Record<string, string>>({ name: template.name.replace(/ \(template\)$/, '') });
  const set = (k: string) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const projects = lists.data?.viewer.tenant?.projects.edges.map((e) => e.node) ?? [];
  const creds = [{ value: '', label: 'choose…' }, ...(lists.data?.credentials.edges.map((e) => ({ value: e.node.id, label: `${e.node.name} (${e.node.kind})` })) ?? [])];
  async function submit(e: FormEvent) {
    e.preventDefault();
    const parameters = Object.fromEntries(template.parameters.map((p) => [p.name, v[`p:${p.name}`] ?? p.default ?? '']));
    const r = await create({ input: {
      templateId: template.id, projectId: v.projectId || projects[0]!.id, name: v.name!, parameters,
      sourceCredentialId: v.sourceCredentialId || null, targetCredentialId: v.targetCredentialId!,
      sourceBaseUrl: v.sourceBaseUrl || null, targetBaseUrl: v.targetBaseUrl || null,
    } });
    if (r) navigate(`/syncs/${encodeURIComponent(r.createSyncFromTemplate.id)}`);
  }
  if (lists.loading) return <Loading what="projects and credentials" />;
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="use-h">
      <h2 id="use-h">New sync from “{template.name}”</h2>
      <TextInput label="Sync name" required value={v.name ?? ''} onChange={set('name')} />
      <Select label="Project" value={v.projectId ?? ''} onChange={set('projectId')} options={projects.map((p) => ({ value: p.id, label: p.name }))} />
      {template.source ? <Select label={`Source credential (${template.source.connector})`} required value={v.sourceCredentialId ?? ''} onChange={set('sourceCredentialId')} options={creds} /> : null}
      {template.source && !template.source.baseUrl ? <TextInput label="Source account base URL" required value={v.sourceBaseUrl ?? ''} onChange={set('sourceBaseUrl')} /> : null}
      <Select label={`Target credential (${template.target.connector})`} required value={v.targetCredentialId ?? ''} onChange={set('targetCredentialId')} options={creds} />
      {!template.target.baseUrl ? <TextInput label="Target account base URL" required value={v.targetBaseUrl ?? ''} onChange={set('targetBaseUrl')} /> : null}
      {template.parameters.map((p) => <TextInput key={p.name} label={p.name} required={p.required} hint={p.description} placeholder={p.default ?? ''} value={v[`p:${p.name}`] ?? ''} onChange={set(`p:${p.name}`)} />)}
      <ErrorBox error={created.error} />
      <button type="submit" className="primary" disabled={created.running}>Create draft sync</button>
    </form>
  );
}
