import { useState } from 'react';
import { useMutation } from '../api/hooks';
import { ErrorBox, When } from '../ui/feedback';
import { TextInput } from '../ui/form';
import { CreateTestCase, type Run } from './sandbox.queries';

const json = (v: unknown) => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 2));

/** One sandbox run: each step with its output, the exact requests, and "keep this as a test case". */
export function SandboxRunView({ run, syncId, onSaved }: { run: Run; syncId: string; onSaved(): void }) {
  const [name, setName] = useState('');
  const [save, saved] = useMutation(CreateTestCase);
  const ok = run.status === 'PASSED';
  return (
    <article className="card" aria-label={`Sandbox run of v${run.version}`} data-testid="sandbox-run">
      <h3>v{run.version} · {run.mode} · <span className={`badge ${ok ? 'ok' : 'bad'}`}>{run.status}</span> {run.outcome ? <code>{run.outcome}</code> : null}</h3>
      <p className="muted"><When at={run.createdAt} />{run.reason ? ` — ${run.reason}` : ''}</p>
      <ol className="steps">
        {run.steps.map((s, i) => (
          <li key={i}>
            <strong>{s.step}</strong> <small className="muted">{s.durationMs} ms</small>
            {s.error ? <p className="error" role="alert">{s.error.message}{s.error.position != null ? ` (at ${s.error.position})` : ''}</p> : null}
            <pre data-testid={`step-${s.step}`}>{json(s.output)}</pre>
          </li>
        ))}
      </ol>
      {run.requests.map((r, i) => (
        <details key={i}>
          <summary>{r.sent ? 'Sent' : 'Would send'} {r.method} {r.url} {r.response?.status ? `→ ${r.response.status}` : ''}</summary>
          <pre>{json({ headers: r.headers, body: r.body })}</pre>
          {r.signatureBaseString ? <><p>OAuth 1.0a signature base string</p><pre>{r.signatureBaseString}</pre></> : null}
          {r.response ? <pre>{r.response.error ?? r.response.body}</pre> : null}
        </details>
      ))}
      {run.mapped !== null && run.mapped !== undefined && !run.testCaseId ? (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void save({ input: { syncId, name, input: run.input as { entityId?: string; record?: Record<string, unknown> }, expected: run.mapped } }).then((r) => r && onSaved()); }}>
          <TextInput label="Keep as a test case named" required value={name} onChange={(e) => setName(e.target.value)} hint="Its mapped payload becomes the expected one; activation then requires it to pass." />
          <button type="submit" disabled={saved.running}>Save test case</button>
        </form>
      ) : null}
      <ErrorBox error={saved.error} />
    </article>
  );
}
