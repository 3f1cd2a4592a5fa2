import type { ResultOf } from 'gql.tada';
import { graphql } from '../api/graphql';
import { useMutation, useQuery } from '../api/hooks';
import { linkTo } from '../router';
import { ErrorBox, Loading, When } from '../ui/feedback';
import { SyncQuery } from './sync.queries';
import { VersionsPanel } from './versions.panel';
import { KeysPanel } from './keys.panel';
import { DeliveriesPanel } from './deliveries.panel';
import { DeadLettersPanel } from './deadletters.panel';
import { SandboxPanel } from './sandbox.panel';
import { SettingsPanel } from './settings.panel';
import { BulkPanel } from './bulk.panel';

export type SyncData = ResultOf<typeof SyncQuery>['sync'];

const Pause = graphql(`mutation Pause($id: ID!) { pauseSync(id: $id) { id pausedAt } }`);
const Resume = graphql(`mutation Resume($id: ID!) { resumeSync(id: $id) { id pausedAt } }`);

const TABS = [
  { id: 'overview', label: 'Versions & mapping' },
  { id: 'test', label: 'Test (sandbox)' },
  { id: 'keys', label: 'Inbound keys' },
  { id: 'deliveries', label: 'Delivery log' },
  { id: 'dead-letters', label: 'Dead letters' },
  { id: 'bulk', label: 'Bulk runs' },
  { id: 'settings', label: 'Settings' },
] as const;

export function SyncPage({ id, tab }: { id: string; tab: string }) {
  const q = useQuery(SyncQuery, { id });
  const [pause, paused] = useMutation(Pause);
  const [resume, resumed] = useMutation(Resume);
  const s = q.data?.sync;
  if (!s) return <><h1 tabIndex={-1}>Sync</h1><ErrorBox error={q.error} />{q.loading ? <Loading what="the sync" /> : null}</>;
  const base = `/syncs/${encodeURIComponent(s.id)}`;
  return (
    <>
      <p><a {...linkTo('/syncs')}>← Syncs</a></p>
      <h1 tabIndex={-1}>{s.name}</h1>
      <p className="syncstate">
        {s.activeVersion ? <span className="badge ok" data-testid="live-version">live: v{s.activeVersion}</span> : <span className="badge">not live: activate a version</span>}
        {s.archivedAt ? <> <span className="badge bad">archived</span></> : null}
        {s.pausedAt ? <> <span className="badge bad">paused <When at={s.pausedAt} /></span></> : null}
        {' '}{s.activeVersion ? (s.pausedAt
          ? <button type="button" className="small" onClick={() => void resume({ id: s.id }).then(q.reload)}>Resume webhooks</button>
          : <button type="button" className="small" onClick={() => void pause({ id: s.id }).then(q.reload)}>Pause webhooks</button>) : null}
      </p>
      <ErrorBox error={q.error ?? paused.error ?? resumed.error} />
      <nav aria-label="Sync sections" className="tabs">
        {TABS.map((t) => <a key={t.id} {...linkTo(t.id === 'overview' ? base : `${base}/${t.id}`)} aria-current={tab === t.id ? 'page' : undefined}>{t.label}</a>)}
      </nav>
      {tab === 'overview' ? <VersionsPanel sync={s} onChanged={q.reload} /> : null}
      {tab === 'test' ? <SandboxPanel sync={s} /> : null}
      {tab === 'keys' ? <KeysPanel syncId={s.id} /> : null}
      {tab === 'deliveries' ? <DeliveriesPanel syncId={s.id} /> : null}
      {tab === 'dead-letters' ? <DeadLettersPanel sync={s} /> : null}
      {tab === 'bulk' ? <BulkPanel syncId={s.id} /> : null}
      {tab === 'settings' ? <SettingsPanel key={s.name + s.description} sync={s} onChanged={q.reload} /> : null}
    </>
  );
}
