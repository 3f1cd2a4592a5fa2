import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { Field, Select, TextArea, TextInput } from '../ui/form';
import { ErrorBox } from '../ui/feedback';
import { KINDS, secretInput, type CredentialKind, type SecretInput } from './credential.kinds';

/** The secret fields of one kind; submit gets the API input (create and rotate share it). */
export function SecretForm({ kind, submitLabel, busy, error, onSubmit, children }: {
  kind: CredentialKind; submitLabel: string; busy: boolean; error?: ApiError;
  onSubmit(input: SecretInput): void; children?: React.ReactNode;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [local, setLocal] = useState<ApiError>();
  const set = (k: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  function submit(e: FormEvent) {
    e.preventDefault();
    try {
      setLocal(undefined);
      onSubmit(secretInput(kind, values));
    } catch (err) {
      setLocal(new ApiError(`Claims are not valid JSON: ${(err as Error).message}`, 'BAD_USER_INPUT', 'claims'));
    }
  }
  return (
    <form onSubmit={submit} className="card">
      {children}
      {KINDS[kind].fields.map((f) => {
        const common = { label: f.label + (f.optional ? ' (optional)' : ''), hint: f.hint, required: !f.optional, value: values[f.name] ?? '', onChange: set(f.name), name: f.name };
        if (f.kind === 'select') return <Select key={f.name} {...common} options={f.options!.map((o) => ({ value: o, label: o || 'default' }))} />;
        if (f.kind === 'textarea' || f.kind === 'json') return <TextArea key={f.name} rows={f.kind === 'json' ? 3 : 5} {...common} />;
        return <TextInput key={f.name} type={f.secret ? 'password' : f.kind === 'number' ? 'number' : 'text'} autoComplete="off" {...common} />;
      })}
      <ErrorBox error={local ?? error} />
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
    </form>
  );
}

export function KindSelect({ value, onChange }: { value: CredentialKind; onChange(k: CredentialKind): void }) {
  return (
    <Field label="Kind">
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as CredentialKind)}>
          {(Object.keys(KINDS) as CredentialKind[]).map((k) => <option key={k} value={k}>{KINDS[k].label}</option>)}
        </select>
      )}
    </Field>
  );
}
