import { useState } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, When } from '../ui/feedback';
import { TextInput } from '../ui/form';

const AuditQuery = graphql(`query Audit($after: String, $operation: String) {
  auditLog(first: 25, after: $after, operation: $operation) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id operation outcome actor tokenId targetType targetId input before after requestId createdAt
  } } }
}`);

/** Every mutation: who, with which token, what, and the outcome (secrets redacted by the API). */
export function AuditPage() {
  const [operation, setOperation] = useState('');
  const [applied, setApplied] = useState('');
  const list = useConnection(async (after) => (await request(AuditQuery, { after, operation: applied || null })).auditLog, `audit:${applied}`);
  return (
    <>
      <h1 tabIndex={-1}>Audit log</h1>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); setApplied(operation.trim()); }}>
        <TextInput label="Operation" value={operation} onChange={(e) => setOperation(e.target.value)} placeholder="e.g. rotateCredential" />
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={list.error} />
      {list.loading && list.nodes.length === 0 ? <Loading what="the audit log" /> : list.nodes.length === 0 ? (
        <Empty title={applied ? `No ${applied} entries` : 'Nothing audited yet'}>Every change made through the API (console included) is listed here.</Empty>
      ) : (
        <div className="tablewrap"><table>
          <thead><tr><th scope="col">When</th><th scope="col">Operation</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Object</th><th scope="col">Details</th></tr></thead>
          <tbody>{list.nodes.map((a) => (
            <tr key={a.id}>
              <td><When at={a.createdAt} /></td><td><code>{a.operation}</code></td>
              <td><span className={`badge ${a.outcome === 'ok' ? 'ok' : 'bad'}`}>{a.outcome}</span></td>
              <td>{a.actor}</td><td>{a.targetType ?? ''} <small className="muted">{a.targetId ?? ''}</small></td>
              <td><details><summary>input / before / after</summary><pre>{JSON.stringify({ input: a.input, before: a.before, after: a.after, requestId: a.requestId }, null, 2)}</pre></details></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager shown={list.nodes.length} total={list.total} hasNext={list.hasNext} loading={list.loading} onMore={list.more} />
    </>
  );
}
