import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, ShownOnce, When } from '../ui/feedback';
import { TextInput } from '../ui/form';

const TokensQuery = graphql(`query ApiTokens($after: String) {
  apiTokens(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name prefix scopes createdAt lastUsedAt expiresAt revokedAt } } }
}`);
const CreateToken = graphql(`mutation CreateToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name } } }`);
const RevokeToken = graphql(`mutation RevokeToken($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`);
const SCOPES = ['READ', 'WRITE', 'ADMIN'] as const;
type Scope = (typeof SCOPES)[number];

/** The tenant's API tokens (admin scope): issue one for a script or a frontend team, revoke at once. */
export function TokensPage() {
  const list = useConnection(async (after) => (await request(TokensQuery, { after })).apiTokens, 'tokens');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['READ']);
  const [expires, setExpires] = useState('');
  const [create, created] = useMutation(CreateToken);
  const [revoke, revoked] = useMutation(RevokeToken);
  function submit(e: FormEvent) {
    e.preventDefault();
    void create({ input: { name, scopes, expiresAt: expires ? new Date(expires).toISOString() : null } }).then((r) => { if (r) { setName(''); list.reload(); } });
  }
  return (
    <>
      <h1 tabIndex={-1}>API tokens</h1>
      <ErrorBox error={list.error ?? revoked.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="tokens" /> : list.nodes.length === 0 ? <Empty title="No tokens to show">Issue one below (this needs an admin token).</Empty> : (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Scopes</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead>
          <tbody>{list.nodes.map((t) => (
            <tr key={t.id}><td>{t.name}</td><td><code>{t.prefix}…</code></td><td>{t.scopes.join(', ')}</td><td><When at={t.lastUsedAt} /></td><td><When at={t.expiresAt} /></td>
              <td>{t.revokedAt ? <span className="badge bad">revoked</span> : <button type="button" className="small danger" onClick={() => { if (window.confirm(`Revoke “${t.name}”? It stops working at once.`)) void revoke({ id: t.id }).then(list.reload); }}>Revoke</button>}</td></tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      <form className="panel" onSubmit={submit} aria-labelledby="tok-h">
        <h2 id="tok-h">New API token</h2>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.target.value)} hint="Who or what uses it, e.g. “CRM import script”" />
        <fieldset><legend>Scopes</legend>
          {SCOPES.map((s) => <label key={s} className="check"><input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes((x) => e.target.checked ? [...x, s] : x.filter((y) => y !== s))} /> {s}</label>)}
        </fieldset>
        <TextInput label="Expires (optional)" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
        <ErrorBox error={created.error} />
        <button type="submit" className="primary" disabled={created.running || scopes.length === 0}>Issue token</button>
      </form>
      {created.data ? <ShownOnce label={`Token “${created.data.createApiToken.apiToken.name}”`} value={created.data.createApiToken.token} /> : null}
    </>
  );
}
