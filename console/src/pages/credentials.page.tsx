import { useState } from 'react';
import { readFragment } from 'gql.tada';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { TextInput } from '../ui/form';
import { CreateCredential, CredentialFields, KINDS, type CredentialKind } from './credential.kinds';
import { KindSelect, SecretForm } from './credential.form';
import { CredentialTestForm } from './credential.test';

const CredentialsQuery = graphql(`query Credentials($after: String) {
  credentials(first: 20, after: $after, orderBy: CREATED_AT_DESC) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id ...CredentialFields } } }
}`, [CredentialFields]);
const RenameCredential = graphql(`mutation RenameCredential($id: ID!, $name: String!) { renameCredential(input: { id: $id, name: $name }) { id name } }`);
const DeleteCredential = graphql(`mutation DeleteCredential($id: ID!) { deleteCredential(id: $id) { id } }`);
const RotateCredential = graphql(`mutation RotateCredential($id: ID!, $secret: CredentialSecretInput!) { rotateCredential(id: $id, secret: $secret) { id rotatedAt fingerprint } }`);

export function CredentialsPage() {
  const list = useConnection(async (after) => (await request(CredentialsQuery, { after })).credentials, 'credentials');
  const [kind, setKind] = useState<CredentialKind>('API_KEY');
  const [name, setName] = useState('');
  const [formKey, setFormKey] = useState(0); // a new form after each success: typed secrets do not linger
  const [create, created, resetCreate] = useMutation(CreateCredential);
  const [open, setOpen] = useState<{ id: string; what: 'test' | 'rotate' | 'rename' } | null>(null);
  const [rename, renamed] = useMutation(RenameCredential);
  const [remove, removed] = useMutation(DeleteCredential);
  const [newName, setNewName] = useState('');
  const [rotate, rotated] = useMutation(RotateCredential);
  const rows = list.nodes.map((n) => readFragment(CredentialFields, n));
  return (
    <>
      <h1 tabIndex={-1}>Credentials</h1>
      <p className="muted">Secrets are stored encrypted and never shown again: only the kind and a fingerprint to tell them apart.</p>
      <ErrorBox error={list.error ?? removed.error} />
      {list.loading && rows.length === 0 ? <Loading what="credentials" /> : rows.length === 0 ? (
        <Empty title="No credentials yet">Add the API key or OAuth client of a platform below; syncs use them to read the source and write the target.</Empty>
      ) : (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Fingerprint</th><th scope="col">Status</th><th scope="col">Last test</th><th scope="col">Actions</th></tr></thead>
          <tbody>{rows.map((c) => (
            <tr key={c.id}>
              <td>{c.name}<br /><small className="muted">created <When at={c.createdAt} />{c.rotatedAt ? <>, rotated <When at={c.rotatedAt} /></> : null}</small></td>
              <td>{KINDS[c.kind].label}</td>
              <td><code>{c.fingerprint}</code></td>
              <td><span className={`badge ${c.status === 'ACTIVE' ? 'ok' : 'bad'}`}>{c.status}</span>{c.statusReason ? <><br /><small>{c.statusReason}</small></> : null}</td>
              <td>{c.lastTest ? <span data-testid="last-test"><span className={`badge ${c.lastTest.ok ? 'ok' : 'bad'}`}>{c.lastTest.ok ? 'passed' : 'failed'}</span> {c.lastTest.status ?? ''} {c.lastTest.message}</span> : <span className="muted">never tested</span>}</td>
              <td className="actions">
                <button type="button" className="small" aria-expanded={open?.id === c.id && open.what === 'test'} onClick={() => setOpen({ id: c.id, what: 'test' })}>Test</button>
                <button type="button" className="small" aria-expanded={open?.id === c.id && open.what === 'rotate'} onClick={() => setOpen({ id: c.id, what: 'rotate' })}>Rotate</button>
                <button type="button" className="small" aria-expanded={open?.id === c.id && open.what === 'rename'} onClick={() => { setNewName(c.name); setOpen({ id: c.id, what: 'rename' }); }}>Rename</button>
                <button type="button" className="small danger" onClick={() => { if (window.confirm(`Delete “${c.name}”? Syncs whose active version uses it keep it: the hub refuses then.`)) void remove({ id: c.id }).then((r) => r && list.reload()); }}>Delete</button>
              </td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={rows.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      {open ? (() => {
        const c = rows.find((r) => r.id === open.id);
        if (!c) return null;
        return (
          <section aria-label={`${open.what === 'test' ? 'Test' : open.what === 'rename' ? 'Rename' : 'Rotate'} ${c.name}`} className="panel">
            <h2>{open.what === 'test' ? 'Test' : open.what === 'rename' ? 'Rename' : 'Rotate'} “{c.name}”</h2>
            {open.what === 'rename' ? (
              <form className="inline" onSubmit={(e) => { e.preventDefault(); void rename({ id: c.id, name: newName }).then((r) => { if (r) { setOpen(null); list.reload(); } }); }}>
                <TextInput label="New name" required value={newName} onChange={(e) => setNewName(e.target.value)} />
                <button type="submit" disabled={renamed.running}>Rename</button>
                <ErrorBox error={renamed.error} />
              </form>
            ) : open.what === 'test' ? <CredentialTestForm credential={c} onTested={list.reload} /> : (
              <SecretForm kind={c.kind} submitLabel="Replace the secret" busy={rotated.running} error={rotated.error}
                onSubmit={(secret) => void rotate({ id: c.id, secret }).then((r) => { if (r) { setOpen(null); list.reload(); } })}>
                <p className="muted">Syncs keep using this credential: the new secret applies to their next call.</p>
              </SecretForm>
            )}
            <button type="button" onClick={() => setOpen(null)}>Close</button>
          </section>
        );
      })() : null}
      <section aria-labelledby="new-credential" className="panel">
        <h2 id="new-credential">New credential</h2>
        <KindSelect value={kind} onChange={(k) => { setKind(k); resetCreate(); }} />
        <SecretForm key={`${kind}:${formKey}`} kind={kind} submitLabel="Store credential" busy={created.running} error={created.error}
          onSubmit={(secret) => void create({ input: { name, ...secret } }).then((r) => { if (r) { setName(''); setFormKey((k) => k + 1); list.reload(); } })}>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.target.value)} hint="e.g. “Copernica REST token, brand A”" />
        </SecretForm>
        {created.data ? <p role="status" className="notice">Stored “{created.data.createCredential.name}” (fingerprint <code>{created.data.createCredential.fingerprint}</code>). Test it above.</p> : null}
      </section>
    </>
  );
}
