import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

/** The API's message and its stable code, as the API gave them. */
export function ErrorBox({ error, title }: { error?: ApiError; title?: string }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <strong>{title ?? 'The hub refused this'}</strong>
      {[error, ...error.more].map((e, i) => (
        <p key={i}>{e.message} <code className="code" data-testid="error-code">{e.code}</code>{e.field ? <> on <code>{e.field}</code></> : null}</p>
      ))}
      {Array.isArray(error.extensions.failedTestCases) ? (
        <ul>{(error.extensions.failedTestCases as { name: string; reason?: string }[]).map((f) => <li key={f.name}>Test case “{f.name}” failed{f.reason ? `: ${f.reason}` : ''}</li>)}</ul>
      ) : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status" aria-live="polite">Loading {what}…</p>;
}

/** An empty list says what to do next. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return <div className="notice" role="status">{children}</div>;
}

/** "Load more" for a Relay connection, with how many of how many are shown. */
export function Pager({ shown, total, hasNext, loading, onMore }: { shown: number; total: number; hasNext: boolean; loading: boolean; onMore(): void }) {
  if (total === 0) return null;
  return (
    <div className="pager">
      <span className="muted">{shown} of {total}</span>
      {hasNext ? <button type="button" onClick={onMore} disabled={loading}>{loading ? 'Loading…' : 'Load more'}</button> : null}
    </div>
  );
}

export function When({ at }: { at?: string | null }) {
  if (!at) return <span className="muted">—</span>;
  const d = new Date(at);
  return <time dateTime={at} title={d.toISOString()}>{d.toLocaleString()}</time>;
}

/** A secret shown once, right after it was made, with a copy button. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div className="notice" role="status">
      <strong>{label}</strong> — store it now, it cannot be shown again.
      <div className="copyrow"><code className="secret" data-testid="shown-once">{value}</code><CopyButton value={value} /></div>
    </div>
  );
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  return <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(value)}>{label}</button>;
}
