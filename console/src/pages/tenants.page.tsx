import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, ShownOnce, When } from '../ui/feedback';
import { TextInput } from '../ui/form';

const TenantsQuery = graphql(`query Tenants($after: String) {
  tenants(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name createdAt } } }
}`);
const CreateTenant = graphql(`mutation CreateTenant($name: String!) {
  createTenant(input: { name: $name }) { tenant { id name } defaultProject { id } apiToken { token } }
}`);

/** Operators: every tenant, and a new tenant with its first admin token. */
export function TenantsPage() {
  const list = useConnection(async (after) => (await request(TenantsQuery, { after })).tenants, 'tenants');
  const [create, created] = useMutation(CreateTenant);
  const [name, setName] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await create({ name })) { setName(''); list.reload(); }
  }
  return (
    <>
      <h1 tabIndex={-1}>Tenants</h1>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="tenants" /> : list.nodes.length === 0 && !list.error ? <Empty title="No tenants yet">Create the first one below.</Empty> : (
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Created</th></tr></thead>
          <tbody>{list.nodes.map((t) => <tr key={t.id}><td>{t.name}</td><td><When at={t.createdAt} /></td></tr>)}</tbody>
        </table>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      <form className="inline" onSubmit={(e) => void submit(e)}>
        <TextInput label="New tenant (client) name" required value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={created.running || !name.trim()}>Create tenant</button>
      </form>
      <ErrorBox error={created.error} />
      {created.data ? <ShownOnce label={`Admin API token of ${created.data.createTenant.tenant.name}`} value={created.data.createTenant.apiToken.token} /> : null}
    </>
  );
}
