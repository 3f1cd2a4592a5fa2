import { useState } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { linkTo } from '../router';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { TraceLink } from './trace.link';
import type { SyncData } from './sync.page';

const DeadLettersQuery = graphql(`query DeadLetters($id: ID!, $after: String) {
  sync(id: $id) { id deadLetters(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id eventId syncVersion reason attempts lastStatus lastResponse traceId traceUrl createdAt replayedAt replayedVersion
  } } } }
}`);
const Replay = graphql(`mutation Replay($syncId: ID!, $ids: [ID!], $version: Int) { replayDeadLetters(syncId: $syncId, ids: $ids, version: $version) { id eventId replayed error } }`);

/** Events given up on; fix the mapping (a new version), then replay them with it. */
export function DeadLettersPanel({ sync }: { sync: SyncData }) {
  const list = useConnection(async (after) => (await request(DeadLettersQuery, { id: sync.id, after })).sync.deadLetters, `dl:${sync.id}`);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [withLive, setWithLive] = useState(true);
  const [replay, replayed] = useMutation(Replay);
  const toggle = (id: string) => setPicked((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  async function go() {
    const r = await replay({ syncId: sync.id, ids: [...picked], version: withLive ? sync.activeVersion : null });
    if (r) { setPicked(new Set()); list.reload(); }
  }
  const results = replayed.data?.replayDeadLetters;
  return (
    <>
      <h2>Dead letters</h2>
      <p className="muted">To fix what made them fail, <a {...linkTo(`/syncs/${encodeURIComponent(sync.id)}`)}>edit the mapping</a> and activate the new version, then replay them with it.</p>
      <button type="button" onClick={list.reload}>Refresh</button>
      <ErrorBox error={list.error ?? replayed.error} />
      {results ? <div role="status" className="notice">{results.filter((r) => r.replayed).length} replayed
        {results.filter((r) => !r.replayed).map((r) => <p key={r.id}>{r.eventId ?? r.id}: {r.error}</p>)}</div> : null}
      {list.loading && list.nodes.length === 0 ? <Loading what="dead letters" /> : list.nodes.length === 0 ? (
        <Empty title="No dead letters">Events the hub gives up on (a permanent error, or all retries used) land here for replay.</Empty>
      ) : (
        <div className="tablewrap"><table data-testid="dead-letters">
          <thead><tr><th scope="col"><span className="sr-only">Pick</span></th><th scope="col">When</th><th scope="col">Event</th><th scope="col">Reason</th><th scope="col">Last answer</th><th scope="col">Trace</th><th scope="col">Replay</th></tr></thead>
          <tbody>{list.nodes.map((d) => (
            <tr key={d.id}>
              <td>{d.replayedAt ? null : <input type="checkbox" checked={picked.has(d.id)} onChange={() => toggle(d.id)} aria-label={`Pick ${d.eventId} for replay`} />}</td>
              <td><When at={d.createdAt} /><br /><small className="muted">v{d.syncVersion} · {d.attempts} attempts</small></td>
              <td><code>{d.eventId}</code></td><td>{d.reason}</td>
              <td>{d.lastStatus ?? '—'} {d.lastResponse ? <details><summary>body</summary><pre>{d.lastResponse}</pre></details> : null}</td>
              <td><TraceLink traceId={d.traceId} traceUrl={d.traceUrl} /></td>
              <td>{d.replayedAt ? <span className="badge ok">replayed v{d.replayedVersion} <When at={d.replayedAt} /></span> : <span className="muted">not yet</span>}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
      <div className="inline">
        <label><input type="checkbox" checked={withLive} disabled={!sync.activeVersion} onChange={(e) => setWithLive(e.target.checked)} /> Replay with the live version{sync.activeVersion ? ` (v${sync.activeVersion})` : ''} instead of each event's own</label>
        <button type="button" className="primary" disabled={picked.size === 0 || replayed.running} onClick={() => void go()}>Replay {picked.size || ''} selected</button>
      </div>
    </>
  );
}
