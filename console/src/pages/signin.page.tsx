import { useState, type FormEvent } from 'react';
import { ApiError, request } from '../api/client';
import { graphql } from '../api/graphql';
import { ErrorBox } from '../ui/feedback';
import { TextInput } from '../ui/form';

export const ViewerQuery = graphql(`query Viewer { viewer { isOperator scopes tenant { id name } } }`);

/** Sign-in with an API token: checked against `viewer`, then kept in sessionStorage only. */
export function SignInPage({ onSignedIn }: { onSignedIn(token: string): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { viewer } = await request(ViewerQuery, {}, token.trim());
      if (!viewer.tenant && !viewer.isOperator) throw new ApiError('This token belongs to no tenant', 'UNAUTHENTICATED');
      onSignedIn(token.trim());
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(String(err), 'CLIENT_ERROR'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="signin">
      <h1 tabIndex={-1}>Data Hub console</h1>
      <p>Sign in with a tenant API token (or an operator token). <code>npm start</code> prints one for the demo tenant.</p>
      <form onSubmit={(e) => void submit(e)}>
        <TextInput label="API token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)}
          hint="Kept in this tab's session storage only; closing the tab signs you out." />
        <ErrorBox error={error} title="Sign-in failed" />
        <button type="submit" className="primary" disabled={busy || !token.trim()}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
