import type { ReactNode } from 'react';
import type { Viewer } from './app.shell';
import { match } from './router';
import { ProjectsPage } from './pages/projects.page';
import { TenantsPage } from './pages/tenants.page';
import { CredentialsPage } from './pages/credentials.page';
import { SyncsPage } from './syncs/syncs.page';
import { SyncWizard } from './syncs/sync.wizard';
import { SyncPage } from './syncs/sync.page';
import { TemplatesPage } from './pages/templates.page';
import { TargetsPage } from './pages/targets.page';
import { AuditPage } from './pages/audit.page';
import { UsagePage } from './pages/usage.page';
import { TokensPage } from './pages/tokens.page';
import { DestinationsPage } from './pages/destinations.page';
import { DeliveriesPanel } from './syncs/deliveries.panel';
import { Empty } from './ui/feedback';

export const NAV: { to: string; label: string; operator?: boolean }[] = [
  { to: '/', label: 'Projects' },
  { to: '/tenants', label: 'Tenants', operator: true },
  { to: '/credentials', label: 'Credentials' },
  { to: '/syncs', label: 'Syncs' },
  { to: '/templates', label: 'Templates' },
  { to: '/deliveries', label: 'Delivery log' },
  { to: '/targets', label: 'Targets' },
  { to: '/destinations', label: 'Destinations' },
  { to: '/usage', label: 'Usage' },
  { to: '/tokens', label: 'API tokens' },
  { to: '/audit', label: 'Audit log' },
];

export function routeTo(path: string, viewer: Viewer): ReactNode {
  if (path === '/' || path === '') return <ProjectsPage viewer={viewer} />;
  if (path === '/tenants') return <TenantsPage />;
  if (path === '/credentials') return <CredentialsPage />;
  if (path === '/syncs') return <SyncsPage />;
  if (path === '/syncs/new') return <SyncWizard viewer={viewer} />;
  const sync = match('/syncs/:id', path) ?? match('/syncs/:id/:tab', path);
  if (sync) return <SyncPage id={sync.id!} tab={sync.tab ?? 'overview'} />;
  if (path === '/templates') return <TemplatesPage viewer={viewer} />;
  if (path === '/targets') return <TargetsPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/deliveries') return <><h1 tabIndex={-1}>Delivery log</h1><p className="muted">Every event of every sync, newest first.</p><DeliveriesPanel /></>;
  if (path === '/destinations') return <DestinationsPage />;
  if (path === '/tokens') return <TokensPage />;
  if (path === '/usage') return <UsagePage viewer={viewer} />;
  return <><h1 tabIndex={-1}>Not found</h1><Empty title={`There is no page at ${path}`}>Pick a section in the menu.</Empty></>;
}
