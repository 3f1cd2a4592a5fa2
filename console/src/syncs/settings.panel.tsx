import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { useMutation } from '../api/hooks';
import { navigate } from '../router';
import { ErrorBox, Notice, When } from '../ui/feedback';
import { TextArea, TextInput } from '../ui/form';

const UpdateSync = graphql(`mutation UpdateSync($input: UpdateSyncInput!) { updateSync(input: $input) { id name description } }`);
const ArchiveSync = graphql(`mutation ArchiveSync($id: ID!) { archiveSync(id: $id) { id archivedAt } }`);
const UnarchiveSync = graphql(`mutation UnarchiveSync($id: ID!) { unarchiveSync(id: $id) { id archivedAt } }`);
const DeleteSync = graphql(`mutation DeleteSync($id: ID!) { deleteSync(id: $id) { id } }`);

/** Name and description; archive (webhooks refused at once), unarchive, and delete once archived. */
export function SettingsPanel({ sync, onChanged }: { sync: { id: string; name: string; description: string; archivedAt?: string | null }; onChanged(): void }) {
  const [name, setName] = useState(sync.name);
  const [description, setDescription] = useState(sync.description);
  const [update, updated] = useMutation(UpdateSync);
  const [archive, archived] = useMutation(ArchiveSync);
  const [unarchive, unarchived] = useMutation(UnarchiveSync);
  const [remove, removed] = useMutation(DeleteSync);
  function save(e: FormEvent) { e.preventDefault(); void update({ input: { id: sync.id, name, description } }).then((r) => r && onChanged()); }
  return (
    <>
      <form className="panel" onSubmit={save} aria-labelledby="set-h">
        <h2 id="set-h">Name and description</h2>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
        <TextArea label="Description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} hint="For people: what this sync is for, who owns it" />
        <ErrorBox error={updated.error} />
        {updated.data ? <Notice>Saved.</Notice> : null}
        <button type="submit" disabled={updated.running}>Save</button>
      </form>
      <section className="panel" aria-labelledby="arch-h">
        <h2 id="arch-h">Archive or delete</h2>
        <ErrorBox error={archived.error ?? unarchived.error ?? removed.error} />
        {sync.archivedAt ? (
          <>
            <p>Archived <When at={sync.archivedAt} />: its webhooks are refused.</p>
            <button type="button" onClick={() => void unarchive({ id: sync.id }).then(onChanged)}>Unarchive</button>{' '}
            <button type="button" className="danger" onClick={() => {
              if (window.confirm(`Delete “${sync.name}” with its versions, keys, test cases and sandbox runs? Its delivery log stays until retention removes it.`)) {
                void remove({ id: sync.id }).then((r) => r && navigate('/syncs'));
              }
            }}>Delete for good</button>
          </>
        ) : (
          <>
            <p className="muted">Archiving refuses its webhooks within a second and hides it from the list; an archived sync can be deleted.</p>
            <button type="button" className="danger" onClick={() => void archive({ id: sync.id }).then(onChanged)}>Archive</button>
          </>
        )}
      </section>
    </>
  );
}
