import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection } from '../api/hooks';
import { linkTo } from '../router';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { Select, TextInput } from '../ui/form';
import { TraceLink } from './trace.link';

const LogQuery = graphql(`query DeliveryLog($after: String, $syncId: ID, $entityKey: String, $state: DeliveryOutcome, $from: DateTimeISO, $to: DateTimeISO) {
  deliveryLog(first: 25, after: $after, syncId: $syncId, entityKey: $entityKey, state: $state, from: $from, to: $to) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      eventId syncId syncVersion entityKey trigger receivedAt state final attempt replay recordExcerpt payloadExcerpt traceId
      attempts { id attempt replay outcome targetStatus durationMs error traceId traceUrl target createdAt responseExcerpt nextRetryAt }
    } }
  }
}`);
const STATES = ['DELIVERED', 'RETRYING', 'DEAD_LETTERED', 'FILTERED', 'UNCHANGED', 'SUPERSEDED'] as const;
type State = (typeof STATES)[number];
const tone = (s: string) => (s === 'DELIVERED' ? 'ok' : s === 'DEAD_LETTERED' || s === 'RETRYING' ? 'bad' : '');
const fromLocal = (v: string) => (v ? new Date(v).toISOString() : null);

/** One row per event (newest first) with every attempt, its excerpts and trace; search by record id, state and time. */
export function DeliveriesPanel({ syncId }: { syncId?: string }) {
  const [form, setForm] = useState({ entityKey: '', state: '' as State | '', from: '', to: '' });
  const [applied, setApplied] = useState(form);
  const list = useConnection(async (after) => (await request(LogQuery, {
    after, syncId: syncId ?? null, entityKey: applied.entityKey.trim() || null, state: applied.state || null, from: fromLocal(applied.from), to: fromLocal(applied.to),
  })).deliveryLog, `log:${syncId}:${JSON.stringify(applied)}`);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  function submit(e: FormEvent) { e.preventDefault(); setApplied(form); }
  return (
    <>
      <h2>Delivery log</h2>
      <form className="filters" onSubmit={submit} role="search" aria-label="Search the delivery log">
        <TextInput label="Record id" value={form.entityKey} onChange={set('entityKey')} placeholder="e.g. bc-jane" />
        <Select label="State" value={form.state} onChange={set('state')} options={[{ value: '', label: 'any' }, ...STATES]} />
        <TextInput label="Received from" type="datetime-local" value={form.from} onChange={set('from')} />
        <TextInput label="Received before" type="datetime-local" value={form.to} onChange={set('to')} />
        <button type="submit">Search</button>
        <button type="button" onClick={list.reload}>Refresh</button>
      </form>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="the delivery log" /> : list.nodes.length === 0 ? (
        <Empty title={applied.entityKey || applied.state || applied.from ? 'No event matches' : 'No events yet'}>Activate a version and call the inbound key's URL (see Inbound keys); events appear here within a second.</Empty>
      ) : (
        <div className="tablewrap"><table data-testid="deliveries">
          <thead><tr><th scope="col">Received</th><th scope="col">Record</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Excerpts</th></tr></thead>
          <tbody>{list.nodes.map((d) => (
            <tr key={`${d.eventId}:${d.replay}`}>
              <td><When at={d.receivedAt} /><br /><small className="muted">v{d.syncVersion} · {d.trigger.toLowerCase()}{d.replay ? ` · replay ${d.replay}` : ''}</small>
                {syncId ? null : <><br /><a {...linkTo(`/syncs/${encodeURIComponent(d.syncId)}/deliveries`)}>sync</a></>}</td>
              <td><code>{d.entityKey ?? '—'}</code><br /><small className="muted">{d.eventId}</small></td>
              <td><span className={`badge ${tone(d.state)}`}>{d.state}</span>{d.final ? null : <><br /><small>not final</small></>}</td>
              <td><ol className="attempts">{d.attempts.map((a) => (
                <li key={a.id}><span className={`badge ${tone(a.outcome)}`}>{a.outcome}</span> {a.target ?? ''} {a.targetStatus ?? ''} · {a.durationMs} ms · <TraceLink traceId={a.traceId} traceUrl={a.traceUrl} />
                  {a.error ? <><br /><small>{a.error}</small></> : null}
                  {a.nextRetryAt ? <><br /><small>next try <When at={a.nextRetryAt} /></small></> : null}
                  {a.responseExcerpt ? <details><summary>response</summary><pre>{a.responseExcerpt}</pre></details> : null}</li>
              ))}</ol></td>
              <td>{d.recordExcerpt ? <details><summary>record</summary><pre>{d.recordExcerpt}</pre></details> : null}
                {d.payloadExcerpt ? <details><summary>payload sent</summary><pre>{d.payloadExcerpt}</pre></details> : null}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
    </>
  );
}
