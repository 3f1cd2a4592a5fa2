import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { useMutation } from '../api/hooks';
import { linkTo } from '../router';
import { ErrorBox } from '../ui/feedback';
import { TextInput } from '../ui/form';
import type { SyncData } from './sync.page';

const CreateTemplate = graphql(`mutation CreateTemplate($input: CreateSyncTemplateInput!) { createSyncTemplate(input: $input) { id name } }`);

/** A developer turns a working sync into a template: same connectors and mapping, accounts left open. */
export function SaveAsTemplate({ version, syncName }: { version: SyncData['versions'][number]; syncName: string }) {
  const [name, setName] = useState(`${syncName} (template)`);
  const [description, setDescription] = useState('');
  const [create, created] = useMutation(CreateTemplate);
  const ep = (e: { connector: string; operation: string; params: Record<string, unknown> }) => ({ connector: e.connector, operation: e.operation, params: e.params });
  function submit(e: FormEvent) {
    e.preventDefault();
    void create({ input: {
      name, description, trigger: version.trigger, mapping: version.mapping, filter: version.filter,
      source: version.source ? ep(version.source) : null, target: ep(version.target), delivery: version.delivery,
    } });
  }
  return (
    <section className="panel" aria-labelledby="tpl-h">
      <h2 id="tpl-h">Reuse this setup</h2>
      <form onSubmit={submit} className="inline">
        <TextInput label="Template name" required value={name} onChange={(e) => setName(e.target.value)} />
        <TextInput label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
        <button type="submit" disabled={created.running}>Save v{version.version} as a template</button>
      </form>
      <ErrorBox error={created.error} />
      {created.data ? <p role="status" className="notice">Template “{created.data.createSyncTemplate.name}” saved: see <a {...linkTo('/templates')}>Templates</a>. Account URLs and credentials are chosen when it is used.</p> : null}
    </section>
  );
}
