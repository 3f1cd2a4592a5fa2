import { useState, type FormEvent } from 'react';
import type { Viewer } from '../app.shell';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { linkTo } from '../router';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { TextInput } from '../ui/form';

const ProjectsQuery = graphql(`query Projects($after: String) {
  viewer { tenant { id projects(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name createdAt } } } } }
}`);
const CreateProject = graphql(`mutation CreateProject($name: String!) { createProject(input: { name: $name }) { id name } }`);

const EMPTY = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };

export function ProjectsPage({ viewer }: { viewer: Viewer }) {
  const list = useConnection(async (after) => (await request(ProjectsQuery, { after })).viewer.tenant?.projects ?? EMPTY, 'projects');
  const [create, created] = useMutation(CreateProject);
  const [name, setName] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await create({ name })) { setName(''); list.reload(); }
  }
  if (!viewer.tenant) {
    return <><h1 tabIndex={-1}>Projects</h1><Empty title="Operator tokens have no projects of their own">Open <a {...linkTo('/tenants')}>Tenants</a> to create a tenant; sign in with its token to manage its projects.</Empty></>;
  }
  return (
    <>
      <h1 tabIndex={-1}>Projects of {viewer.tenant.name}</h1>
      <p className="muted">A project groups syncs (e.g. per client brand). Syncs inherit the project's defaults.</p>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="projects" /> : list.nodes.length === 0 ? (
        <Empty title="No projects yet">Create one below.</Empty>
      ) : (
        <table>
          <caption className="sr-only">Projects</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Syncs</th></tr></thead>
          <tbody>{list.nodes.map((p) => (
            <tr key={p.id}><td>{p.name}</td><td><When at={p.createdAt} /></td><td><a {...linkTo(`/syncs?project=${encodeURIComponent(p.id)}`)}>Syncs</a> · <a {...linkTo(`/syncs/new?project=${encodeURIComponent(p.id)}`)}>New sync</a></td></tr>
          ))}</tbody>
        </table>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      <form className="inline" onSubmit={(e) => void submit(e)}>
        <TextInput label="New project name" required value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={created.running || !name.trim()}>Create project</button>
      </form>
      <ErrorBox error={created.error} />
    </>
  );
}
