import { useMemo, useState } from 'react';
import type { Viewer } from '../app.shell';
import { graphql } from '../api/graphql';
import { useQuery } from '../api/hooks';
import { ErrorBox, Loading } from '../ui/feedback';
import { Select } from '../ui/form';
import { UsageChart } from '../ui/usage.chart';

const ScopesQuery = graphql(`query UsageScopes {
  viewer { tenant { projects(first: 100) { edges { node { id name } } } } }
  syncs(first: 100, orderBy: CREATED_AT_DESC) { edges { node { id name } } }
}`);
const TenantsQuery = graphql(`query UsageTenants { tenants(first: 100) { edges { node { id name } } } }`);
const UsageQuery = graphql(`query Usage($scope: UsageScopeInput!, $from: DateTimeISO!, $to: DateTimeISO!, $granularity: UsageGranularity!) {
  usage(scope: $scope, from: $from, to: $to, granularity: $granularity) {
    totals { received fetched filtered unchanged delivered retried deadLettered successRate }
    series { start received filtered unchanged delivered retried deadLettered }
    latency { receiptToDelivery { count p50 p95 p99 } targetCall { p50 p95 } }
    topFailingSyncs { syncId name deadLettered retried delivered successRate }
    quota { monthlyEventQuota used percentUsed enforced month }
  }
}`);

const RANGES = { '24h': { hours: 24, g: 'HOUR' }, '7d': { hours: 24 * 7, g: 'DAY' }, '30d': { hours: 24 * 30, g: 'DAY' } } as const;
const SERIES = [
  { key: 'delivered', label: 'Delivered', color: '#1c7c3a' },
  { key: 'filtered', label: 'Filtered', color: '#9aa3ad' },
  { key: 'unchanged', label: 'Unchanged', color: '#c9ced4' },
  { key: 'retried', label: 'Retried', color: '#d98a00' },
  { key: 'deadLettered', label: 'Dead-lettered', color: '#b3261e' },
];
const pct = (x?: number | null) => (x == null ? '—' : `${Math.round(x * 1000) / 10}%`);
const ms = (x?: number | null) => (x == null ? '—' : `${Math.round(x)} ms`);

/** Events per client (tenant), project or sync over a chosen range. */
export function UsagePage({ viewer }: { viewer: Viewer }) {
  const scopes = useQuery(ScopesQuery, {}, !viewer.tenant);
  const tenants = useQuery(TenantsQuery, {}, !viewer.isOperator || !!viewer.tenant);
  const [scope, setScope] = useState('tenant');
  const [range, setRange] = useState<keyof typeof RANGES>('24h');
  const vars = useMemo(() => {
    const hour = 3600_000;
    const to = new Date(Math.ceil((Date.now() + 1) / hour) * hour);
    const from = new Date(to.getTime() - RANGES[range].hours * hour);
    const [kind, id] = scope.split(':');
    return { scope: kind === 'project' ? { projectId: id } : kind === 'sync' ? { syncId: id } : kind === 'client' ? { tenantId: id } : { tenant: true }, from: from.toISOString(), to: to.toISOString(), granularity: RANGES[range].g };
  }, [scope, range]);
  const operatorOnly = !viewer.tenant;
  const usage = useQuery(UsageQuery, vars, operatorOnly && !scope.startsWith('client:'));
  const u = usage.data?.usage;
  const options = operatorOnly ? [{ value: 'tenant', label: 'choose a client…' },
    ...(tenants.data?.tenants.edges ?? []).map((e) => ({ value: `client:${e.node.id}`, label: `Client ${e.node.name}` }))] : [{ value: 'tenant', label: `All of ${viewer.tenant!.name}` },
    ...(scopes.data?.viewer.tenant?.projects.edges ?? []).map((e) => ({ value: `project:${e.node.id}`, label: `Project ${e.node.name}` })),
    ...(scopes.data?.syncs.edges ?? []).map((e) => ({ value: `sync:${e.node.id}`, label: `Sync ${e.node.name}` }))];
  return (
    <>
      <h1 tabIndex={-1}>Usage</h1>
      <div className="filters">
        <Select label="Of" value={scope} onChange={(e) => setScope(e.target.value)} options={options} />
        <Select label="Range" value={range} onChange={(e) => setRange(e.target.value as keyof typeof RANGES)} options={[{ value: '24h', label: 'Last 24 hours (hourly)' }, { value: '7d', label: 'Last 7 days (daily)' }, { value: '30d', label: 'Last 30 days (daily)' }]} />
        <button type="button" onClick={usage.reload}>Refresh</button>
      </div>
      <ErrorBox error={usage.error ?? scopes.error ?? tenants.error} />
      {!u ? (usage.loading ? <Loading what="usage" /> : null) : (
        <>
          <ul className="stats" aria-label="Totals">
            <li><span>Received</span><strong data-testid="usage-received">{u.totals.received}</strong></li>
            <li><span>Delivered</span><strong data-testid="usage-delivered">{u.totals.delivered}</strong></li>
            <li><span>Filtered / unchanged</span><strong>{u.totals.filtered + u.totals.unchanged}</strong></li>
            <li><span>Retried</span><strong>{u.totals.retried}</strong></li>
            <li><span>Dead-lettered</span><strong>{u.totals.deadLettered}</strong></li>
            <li><span>Success rate</span><strong>{pct(u.totals.successRate)}</strong></li>
            <li><span>Receipt → delivery p50 / p95</span><strong>{ms(u.latency.receiptToDelivery.p50)} / {ms(u.latency.receiptToDelivery.p95)}</strong></li>
            <li><span>Quota {u.quota.month}</span><strong>{u.quota.monthlyEventQuota ? `${u.quota.used} / ${u.quota.monthlyEventQuota}` : `${u.quota.used} (no quota)`}</strong></li>
          </ul>
          {u.totals.received === 0 ? <p className="muted">No events in this range yet: activate a sync and send it a webhook; counts appear within a few seconds.</p> : null}
          <UsageChart title="Events" series={SERIES} points={u.series.map((p) => ({ start: p.start, values: p as unknown as Record<string, number> }))} />
          {u.topFailingSyncs.length ? (
            <table><caption>Syncs failing most</caption>
              <thead><tr><th scope="col">Sync</th><th scope="col">Dead-lettered</th><th scope="col">Retried</th><th scope="col">Delivered</th><th scope="col">Success</th></tr></thead>
              <tbody>{u.topFailingSyncs.map((f) => <tr key={f.syncId}><td>{f.name ?? f.syncId}</td><td>{f.deadLettered}</td><td>{f.retried}</td><td>{f.delivered}</td><td>{pct(f.successRate)}</td></tr>)}</tbody>
            </table>
          ) : null}
        </>
      )}
    </>
  );
}
