import { useState } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { Select } from '../ui/form';

const TargetsQuery = graphql(`query Targets($after: String, $state: CircuitState) {
  targets(first: 20, after: $after, state: $state) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id host credential { id name }
    circuit { state failures lastFailure openedAt halfOpenedAt closedAt }
    rateLimit { perSecond utilisation peakUtilisation threshold thresholdAt }
  } } }
}`);
type State = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Each host the tenant delivers to: circuit breaker and rate-limit use. */
export function TargetsPage() {
  const [state, setState] = useState<State | ''>('');
  const list = useConnection(async (after) => (await request(TargetsQuery, { after, state: state || null })).targets, `targets:${state}`);
  return (
    <>
      <h1 tabIndex={-1}>Targets</h1>
      <p className="muted">The hub opens a target's circuit after repeated failures (deliveries wait, without using up attempts) and paces requests to its rate limit.</p>
      <div className="filters">
        <Select label="Circuit" value={state} onChange={(e) => setState(e.target.value as State | '')}
          options={[{ value: '', label: 'any' }, 'CLOSED', 'OPEN', 'HALF_OPEN']} />
        <button type="button" onClick={list.reload}>Refresh</button>
      </div>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="targets" /> : list.nodes.length === 0 ? (
        <Empty title="No targets yet">A target appears after a sync's first delivery. Activate a sync and send it a webhook.</Empty>
      ) : (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">Host</th><th scope="col">Credential</th><th scope="col">Circuit</th><th scope="col">Rate limit</th></tr></thead>
          <tbody>{list.nodes.map((t) => (
            <tr key={t.id}>
              <td><code>{t.host}</code></td>
              <td>{t.credential?.name ?? <span className="muted">deleted</span>}</td>
              <td>{t.circuit ? <><span className={`badge ${t.circuit.state === 'CLOSED' ? 'ok' : 'bad'}`}>{t.circuit.state}</span> {t.circuit.failures} failures
                {t.circuit.lastFailure ? <><br /><small>{t.circuit.lastFailure}</small></> : null}
                {t.circuit.openedAt ? <><br /><small>opened <When at={t.circuit.openedAt} /></small></> : null}</> : <span className="muted">no failures yet</span>}</td>
              <td>{t.rateLimit ? <>
                <meter min={0} max={1} value={t.rateLimit.utilisation} aria-label={`Rate limit use of ${t.host}`} /> {pct(t.rateLimit.utilisation)} of {t.rateLimit.perSecond}/s
                <br /><small>peak {pct(t.rateLimit.peakUtilisation)}{t.rateLimit.threshold ? <>, crossed {t.rateLimit.threshold}% <When at={t.rateLimit.thresholdAt} /></> : null}</small></> : <span className="muted">not paced yet</span>}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
    </>
  );
}
