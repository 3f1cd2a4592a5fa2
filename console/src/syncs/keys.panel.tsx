import { useState } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { CopyButton, Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { TextInput } from '../ui/form';
import { SignaturePanel } from './signature.panel';

const KeysQuery = graphql(`query Keys($id: ID!, $after: String) {
  sync(id: $id) { id inboundKeys(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name prefix createdAt lastUsedAt revokedAt expiresAt } } } }
}`);
const CreateKey = graphql(`mutation CreateKey($syncId: ID!, $name: String!) { createInboundKey(input: { syncId: $syncId, name: $name }) { key url } }`);
const RotateKey = graphql(`mutation RotateKey($id: ID!, $overlapSec: Int!) { rotateInboundKey(id: $id, overlapSec: $overlapSec) { key url } }`);
const RevokeKey = graphql(`mutation RevokeKey($id: ID!) { revokeInboundKey(id: $id) { id revokedAt } }`);

/** The exact URL and curl an origin platform needs, shown once with the new key. */
function NewKey({ url }: { url: string }) {
  const curl = `curl -i "${url}?id=RECORD_ID"`;
  const post = `curl -i -X POST "${url}" -H 'content-type: application/json' -d '{"id":"RECORD_ID"}'`;
  return (
    <div className="notice" role="status">
      <strong>Configure this webhook URL in the origin platform</strong> — it holds the key, which cannot be shown again.
      <div className="copyrow"><code className="secret" data-testid="inbound-url">{url}</code><CopyButton value={url} /></div>
      <p>Try it:</p>
      <div className="copyrow"><code className="secret">{curl}</code><CopyButton value={curl} /></div>
      <div className="copyrow"><code className="secret">{post}</code><CopyButton value={post} /></div>
      <small className="muted">The key also works as an <code>Api-Key</code> or <code>Authorization: Bearer</code> header, to keep it out of logs.</small>
    </div>
  );
}

export function KeysPanel({ syncId }: { syncId: string }) {
  const list = useConnection(async (after) => (await request(KeysQuery, { id: syncId, after })).sync.inboundKeys, `keys:${syncId}`);
  const [name, setName] = useState('webhook key');
  const [overlap, setOverlap] = useState('86400');
  const [create, created] = useMutation(CreateKey);
  const [rotate, rotated] = useMutation(RotateKey);
  const [revoke, revoked] = useMutation(RevokeKey);
  const fresh = rotated.data?.rotateInboundKey ?? created.data?.createInboundKey;
  return (
    <>
      <h2>Inbound keys</h2>
      <ErrorBox error={list.error ?? created.error ?? rotated.error ?? revoked.error} />
      {fresh ? <NewKey url={fresh.url} /> : null}
      {list.loading && list.nodes.length === 0 ? <Loading what="keys" /> : list.nodes.length === 0 ? (
        <Empty title="No inbound key yet">Create one below: the origin platform calls the URL it comes with.</Empty>
      ) : (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
          <tbody>{list.nodes.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td><td><code>{k.prefix}…</code></td><td><When at={k.lastUsedAt} /></td>
              <td>{k.revokedAt ? <span className="badge bad">revoked</span> : k.expiresAt ? <>expires <When at={k.expiresAt} /></> : <span className="badge ok">active</span>}</td>
              <td className="actions">{k.revokedAt ? null : <>
                <button type="button" className="small" onClick={() => void rotate({ id: k.id, overlapSec: Number(overlap) }).then(list.reload)}>Rotate</button>
                <button type="button" className="small danger" onClick={() => { if (window.confirm(`Revoke “${k.name}”? Webhooks using it are refused within a second.`)) void revoke({ id: k.id }).then(list.reload); }}>Revoke</button>
              </>}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      <form className="inline" onSubmit={(e) => { e.preventDefault(); void create({ syncId, name }).then(list.reload); }}>
        <TextInput label="Key name" required value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={created.running}>Create inbound key</button>
        <TextInput label="Rotation overlap (s)" type="number" min={0} value={overlap} onChange={(e) => setOverlap(e.target.value)} hint="How long the old key keeps working after Rotate" />
      </form>
      <SignaturePanel syncId={syncId} />
    </>
  );
}
