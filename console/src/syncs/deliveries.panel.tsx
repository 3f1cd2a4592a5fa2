import { useState } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { Select } from '../ui/form';
import { TraceLink } from './trace.link';

const DeliveriesQuery = graphql(`query Deliveries($id: ID!, $after: String, $outcome: DeliveryOutcome) {
  sync(id: $id) { id deliveries(first: 25, after: $after, outcome: $outcome) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id eventId syncVersion attempt outcome entityId targetStatus durationMs error traceId traceUrl target createdAt
  } } } }
}`);
const OUTCOMES = ['DELIVERED', 'RETRYING', 'DEAD_LETTERED', 'FILTERED', 'UNCHANGED', 'SUPERSEDED'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** Every delivery attempt, newest first, with its outcome and a link to its trace. */
export function DeliveriesPanel({ syncId }: { syncId: string }) {
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const list = useConnection(async (after) => (await request(DeliveriesQuery, { id: syncId, after, outcome: outcome || null })).sync.deliveries, `deliveries:${syncId}:${outcome}`);
  return (
    <>
      <h2>Delivery log</h2>
      <div className="filters">
        <Select label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome | '')} options={[{ value: '', label: 'any' }, ...OUTCOMES]} />
        <button type="button" onClick={list.reload}>Refresh</button>
      </div>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="deliveries" /> : list.nodes.length === 0 ? (
        <Empty title={outcome ? `No ${outcome} attempts` : 'No deliveries yet'}>Activate a version and call the inbound key's URL (see Inbound keys); attempts appear here within a second.</Empty>
      ) : (
        <div className="tablewrap"><table data-testid="deliveries">
          <thead><tr><th scope="col">When</th><th scope="col">Record</th><th scope="col">Outcome</th><th scope="col">Target</th><th scope="col">Time</th><th scope="col">Trace</th></tr></thead>
          <tbody>{list.nodes.map((d) => (
            <tr key={d.id}>
              <td><When at={d.createdAt} /><br /><small className="muted">v{d.syncVersion} · attempt {d.attempt}</small></td>
              <td><code>{d.entityId ?? '—'}</code><br /><small className="muted">{d.eventId}</small></td>
              <td><span className={`badge ${d.outcome === 'DELIVERED' ? 'ok' : d.outcome === 'DEAD_LETTERED' || d.outcome === 'RETRYING' ? 'bad' : ''}`}>{d.outcome}</span>{d.error ? <><br /><small>{d.error}</small></> : null}</td>
              <td>{d.target ?? '—'} {d.targetStatus ?? ''}</td><td>{d.durationMs} ms</td>
              <td><TraceLink traceId={d.traceId} traceUrl={d.traceUrl} /></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
    </>
  );
}
