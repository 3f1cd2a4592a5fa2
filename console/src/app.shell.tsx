import { useEffect, useRef, useState } from 'react';
import type { ResultOf } from 'gql.tada';
import { session } from './api/session';
import { useQuery } from './api/hooks';
import { linkTo, useRoute } from './router';
import { SignInPage, ViewerQuery } from './pages/signin.page';
import { ErrorBox, Loading } from './ui/feedback';
import { routeTo, NAV } from './app.routes';

export type Viewer = ResultOf<typeof ViewerQuery>['viewer'];

export function App() {
  const [token, setToken] = useState(session.token());
  if (!token) return <SignInPage onSignedIn={(t) => { session.signIn(t); setToken(t); }} />;
  return <SignedIn onSignOut={() => { session.signOut(); setToken(null); }} />;
}

function SignedIn({ onSignOut }: { onSignOut(): void }) {
  const viewer = useQuery(ViewerQuery, {});
  const path = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  // Move focus to the new page's heading, so keyboard and screen-reader users land on it.
  useEffect(() => { mainRef.current?.querySelector<HTMLElement>('h1')?.focus(); }, [path, viewer.data]);
  if (viewer.error?.code === 'UNAUTHENTICATED') {
    return <main className="signin"><ErrorBox error={viewer.error} title="The token no longer works" /><button type="button" onClick={onSignOut}>Sign in again</button></main>;
  }
  const v = viewer.data?.viewer;
  return (
    <div className="layout">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">Data Hub</span>
        <span className="who">{v ? (v.tenant?.name ?? 'Operator') : ''}</span>
        <button type="button" className="small" onClick={onSignOut}>Sign out</button>
      </header>
      <nav aria-label="Console sections" className="side">
        <ul>
          {NAV.filter((n) => !n.operator || v?.isOperator).map((n) => (
            <li key={n.to}><a {...linkTo(n.to)} aria-current={path === n.to || (n.to !== '/' && path.startsWith(n.to)) ? 'page' : undefined}>{n.label}</a></li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef}>
        <ErrorBox error={viewer.error} />
        {v ? routeTo(path, v) : viewer.loading ? <Loading what="your account" /> : null}
      </main>
    </div>
  );
}
