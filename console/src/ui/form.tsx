import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** Every input has a visible label tied to it, and an optional hint read out with it. */
export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint ? <small id={hintId} className="muted">{hint}</small> : null}
    </div>
  );
}

type Base = { label: string; hint?: ReactNode };

export function TextInput({ label, hint, ...rest }: Base & InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} hint={hint}>{(id, d) => <input id={id} aria-describedby={d} {...rest} />}</Field>;
}

export function TextArea({ label, hint, ...rest }: Base & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Field label={label} hint={hint}>{(id, d) => <textarea id={id} aria-describedby={d} spellCheck={false} {...rest} />}</Field>;
}

export function Select({ label, hint, options, ...rest }: Base & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly (string | { value: string; label: string })[] }) {
  return (
    <Field label={label} hint={hint}>
      {(id, d) => (
        <select id={id} aria-describedby={d} {...rest}>
          {options.map((o) => typeof o === 'string' ? <option key={o} value={o}>{o}</option> : <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}
