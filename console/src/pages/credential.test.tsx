import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { useMutation } from '../api/hooks';
import { useCatalog } from '../api/catalog';
import { ErrorBox, Loading } from '../ui/feedback';
import { Select, TextInput } from '../ui/form';
import type { CredentialKind } from './credential.kinds';

const TestCredential = graphql(`mutation TestCredential($input: TestCredentialInput!) {
  testCredential(input: $input) { id status statusReason lastTest { ok status message testedAt } }
}`);

/** testCredential against one connector account: which connector, which base URL. */
export function CredentialTestForm({ credential, onTested }: { credential: { id: string; kind: CredentialKind }; onTested(): void }) {
  const catalog = useCatalog();
  const usable = (catalog.data?.connectors ?? []).filter((c) => c.auth.map((a) => a.toUpperCase()).includes(credential.kind));
  const [connector, setConnector] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [test, tested] = useMutation(TestCredential);
  const chosen = usable.find((c) => c.id === connector) ?? usable[0];
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (chosen && await test({ input: { credentialId: credential.id, connector: chosen.id, baseUrl, params: Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim())) } })) onTested();
  }
  if (catalog.loading) return <Loading what="connectors" />;
  if (!chosen) return <p>No connector in the catalog accepts this kind of credential.</p>;
  const result = tested.data?.testCredential.lastTest;
  return (
    <form onSubmit={(e) => void submit(e)} className="card">
      <Select label="Connector" value={chosen.id} onChange={(e) => setConnector(e.target.value)} options={usable.map((c) => ({ value: c.id, label: c.name }))} />
      <TextInput label="Account base URL" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder={chosen.baseUrlTemplate} hint={`Like ${chosen.baseUrlTemplate}`} />
      {chosen.params.map((p) => (
        <TextInput key={p.name} label={`${p.name}${p.required ? '' : ' (optional)'}`} required={p.required} hint={p.description} placeholder={p.default ?? ''}
          value={params[p.name] ?? ''} onChange={(e) => setParams((x) => ({ ...x, [p.name]: e.target.value }))} />
      ))}
      <ErrorBox error={tested.error} />
      {result ? <p role="status" className={result.ok ? 'notice' : 'error'}>{result.ok ? 'Test passed' : 'Test failed'}: {result.status ?? 'no answer'} {result.message}</p> : null}
      <button type="submit" className="primary" disabled={tested.running}>{tested.running ? 'Testing…' : 'Run test call'}</button>
    </form>
  );
}
