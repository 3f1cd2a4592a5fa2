import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation, useQuery } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { TraceLink } from './trace.link';

const BulkSettingsQuery = graphql(`query BulkSettings($id: ID!) { sync(id: $id) { id bulkSettings { listOperation pageSize maxInFlight schedule scheduleMode nextRunAt auditSchedule nextAuditAt } } }`);
const BulkRunsQuery = graphql(`query BulkRuns($id: ID!, $after: String) {
  sync(id: $id) { id bulkRuns(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id syncVersion mode trigger state traceId traceUrl startedAt endedAt createdAt
    progress { pages records total delivered unchanged filtered failed inFlight }
    errors { at message }
  } } } }
}`);
const StartRun = graphql(`mutation StartBulkRun($syncId: ID!, $mode: BulkRunMode!) { startBulkRun(syncId: $syncId, mode: $mode) { id state } }`);
const CancelRun = graphql(`mutation CancelBulkRun($runId: ID!) { cancelBulkRun(runId: $runId) { id state } }`);
const OPEN = ['QUEUED', 'RUNNING', 'DRAINING', 'CANCELLING'];

/** Bulk runs over the source's list operation: start one, follow its progress, cancel it. */
export function BulkPanel({ syncId }: { syncId: string }) {
  const settings = useQuery(BulkSettingsQuery, { id: syncId });
  const runs = useConnection(async (after) => (await request(BulkRunsQuery, { id: syncId, after })).sync.bulkRuns, `bulk:${syncId}`);
  const [start, started] = useMutation(StartRun);
  const [cancel, cancelled] = useMutation(CancelRun);
  const b = settings.data?.sync.bulkSettings;
  return (
    <>
      <h2>Bulk runs</h2>
      <ErrorBox error={settings.error ?? runs.error ?? started.error ?? cancelled.error} />
      {settings.loading && !settings.data ? <Loading what="bulk settings" /> : !b ? (
        <Empty title="Bulk is not configured for this sync">A developer configures it once (configureBulkSync: the source's list operation, page size, schedule); then runs start here.</Empty>
      ) : (
        <>
          <p>Lists with <code>{b.listOperation}</code>, {b.pageSize} per page, at most {b.maxInFlight} in flight.
            {b.schedule ? <> Scheduled <code>{b.schedule}</code> ({b.scheduleMode.toLowerCase()}), next <When at={b.nextRunAt} />.</> : ' Not scheduled.'}
            {b.auditSchedule ? <> Accuracy audit <code>{b.auditSchedule}</code>, next <When at={b.nextAuditAt} />.</> : null}</p>
          <div className="inline">
            <button type="button" className="primary" disabled={started.running} onClick={() => void start({ syncId, mode: 'FULL' }).then(runs.reload)}>Start a full run</button>
            <button type="button" disabled={started.running} onClick={() => void start({ syncId, mode: 'INCREMENTAL' }).then(runs.reload)}>Start an incremental run</button>
            <button type="button" onClick={runs.reload}>Refresh</button>
          </div>
        </>
      )}
      {runs.nodes.length ? (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">Run</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Trace</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>{runs.nodes.map((r) => (
            <tr key={r.id}>
              <td><When at={r.createdAt} /><br /><small className="muted">v{r.syncVersion} · {r.mode.toLowerCase()} · {r.trigger.toLowerCase()}</small></td>
              <td><span className={`badge ${r.state === 'SUCCEEDED' ? 'ok' : r.state === 'FAILED' ? 'bad' : ''}`}>{r.state}</span>{r.errors.map((e) => <small key={e.at}><br />{e.message}</small>)}</td>
              <td>{r.progress.total ? <progress max={r.progress.total} value={r.progress.records} aria-label="Records read" /> : null} {r.progress.records}{r.progress.total ? ` of ${r.progress.total}` : ''} read, {r.progress.delivered} delivered, {r.progress.unchanged} unchanged, {r.progress.failed} failed</td>
              <td><TraceLink traceId={r.traceId} traceUrl={r.traceUrl} /></td>
              <td>{OPEN.includes(r.state) ? <button type="button" className="small danger" onClick={() => void cancel({ runId: r.id }).then(runs.reload)}>Cancel</button> : null}</td>
            </tr>
          ))}</tbody>
        </table></div>
      ) : null}
      <Pager shown={runs.nodes.length} total={runs.total} hasNext={runs.hasNext} loading={runs.loading} onMore={runs.more} />
    </>
  );
}
