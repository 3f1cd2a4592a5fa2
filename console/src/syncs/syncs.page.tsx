import { useState } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection } from '../api/hooks';
import { linkTo } from '../router';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { Select, TextInput } from '../ui/form';

const SyncsQuery = graphql(`query Syncs($after: String, $projectId: ID, $active: Boolean, $name: String, $archived: Boolean) {
  syncs(first: 20, after: $after, projectId: $projectId, active: $active, nameContains: $name, archived: $archived, orderBy: CREATED_AT_DESC) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name activeVersion pausedAt updatedAt versions { version state } } }
  }
}`);

export function SyncsPage() {
  const projectId = new URLSearchParams(window.location.search).get('project');
  const [name, setName] = useState('');
  const [active, setActive] = useState('');
  const list = useConnection(async (after) => (await request(SyncsQuery, {
    after, projectId, name: name.trim() || null, active: active === 'archived' || active === '' ? null : active === 'yes', archived: active === 'archived',
  })).syncs, `syncs:${projectId}:${name}:${active}`);
  return (
    <>
      <h1 tabIndex={-1}>Syncs</h1>
      <p><a className="button primary" {...linkTo(`/syncs/new${projectId ? `?project=${encodeURIComponent(projectId)}` : ''}`)}>New sync</a></p>
      <div className="filters">
        <TextInput label="Name contains" value={name} onChange={(e) => setName(e.target.value)} />
        <Select label="State" value={active} onChange={(e) => setActive(e.target.value)} options={[{ value: '', label: 'all' }, { value: 'yes', label: 'live' }, { value: 'no', label: 'not live yet' }, { value: 'archived', label: 'archived' }]} />
      </div>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="syncs" /> : list.nodes.length === 0 ? (
        <Empty title={name || active ? 'No sync matches' : 'No syncs yet'}>Create one with <a {...linkTo('/syncs/new')}>New sync</a>, or start from a <a {...linkTo('/templates')}>template</a>.</Empty>
      ) : (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Live version</th><th scope="col">Versions</th><th scope="col">Updated</th></tr></thead>
          <tbody>{list.nodes.map((s) => (
            <tr key={s.id}>
              <td><a {...linkTo(`/syncs/${encodeURIComponent(s.id)}`)}>{s.name}</a></td>
              <td>{s.activeVersion ? <span className="badge ok">v{s.activeVersion}{s.pausedAt ? ' · paused' : ''}</span> : <span className="badge">draft only</span>}</td>
              <td>{s.versions.length}</td><td><When at={s.updatedAt} /></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
    </>
  );
}
