import { useState, type FormEvent } from 'react';
import { graphql } from '../api/graphql';
import { request } from '../api/client';
import { useConnection, useMutation } from '../api/hooks';
import { Empty, ErrorBox, Loading, Pager, ShownOnce, When } from '../ui/feedback';
import { TextInput } from '../ui/form';

const DestinationsQuery = graphql(`query Destinations($after: String) {
  destinations(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
    id name url resourceTypes eventTypes signatureHeader batchMaxEvents batchMaxWaitMs enabled disabledReason failingSince createdAt
    secrets { id fingerprint expiresAt }
    deliveries(first: 5) { totalCount edges { node { id webhookId resourceType eventCount outcome attempts lastStatus lastError createdAt } } }
  } } }
}`);
const CreateDestination = graphql(`mutation CreateDestination($input: CreateDestinationInput!) { createDestination(input: $input) { signingSecret destination { id name } } }`);
const Enable = graphql(`mutation EnableDestination($id: ID!) { enableDestination(id: $id) { id enabled } }`);
const Disable = graphql(`mutation DisableDestination($id: ID!) { disableDestination(id: $id) { id enabled } }`);
const Remove = graphql(`mutation DeleteDestination($id: ID!) { deleteDestination(id: $id) { deletedId } }`);
const Rotate = graphql(`mutation RotateDestinationSecret($id: ID!) { rotateDestinationSecret(id: $id) { signingSecret } }`);
const SendTest = graphql(`mutation SendTestWebhook($id: ID!) { sendTestWebhook(destinationId: $id) { ok status durationMs error } }`);

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Outbound webhook destinations: where the hub sends its own (business) events, signed and batched. */
export function DestinationsPage() {
  const dests = useConnection(async (after) => (await request(DestinationsQuery, { after })).destinations, 'destinations');
  const [form, setForm] = useState({ name: '', url: '', resourceTypes: '', eventTypes: '' });
  const [create, created] = useMutation(CreateDestination);
  const [enable, enabled] = useMutation(Enable);
  const [disable, disabled] = useMutation(Disable);
  const [remove, removed] = useMutation(Remove);
  const [rotate, rotated] = useMutation(Rotate);
  const [test, tested] = useMutation(SendTest);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  function submit(e: FormEvent) {
    e.preventDefault();
    void create({ input: { name: form.name, url: form.url, resourceTypes: list(form.resourceTypes), eventTypes: list(form.eventTypes) } })
      .then((r) => { if (r) { setForm({ name: '', url: '', resourceTypes: '', eventTypes: '' }); dests.reload(); } });
  }
  const secret = rotated.data?.rotateDestinationSecret.signingSecret ?? created.data?.createDestination.signingSecret;
  const t = tested.data?.sendTestWebhook;
  return (
    <>
      <h1 tabIndex={-1}>Webhook destinations</h1>
      <p className="muted">Endpoints of yours the hub calls with its events (batched, signed with HMAC-SHA256 and Standard Webhooks headers, retried).</p>
      <ErrorBox error={dests.error ?? enabled.error ?? disabled.error ?? removed.error ?? rotated.error ?? tested.error} />
      {secret ? <ShownOnce label="Signing secret" value={secret} /> : null}
      {t ? <p role="status" className={t.ok ? 'notice' : 'error'}>Test webhook {t.ok ? 'accepted' : 'failed'}: {t.status ?? 'no answer'} in {t.durationMs} ms {t.error ?? ''}</p> : null}
      {dests.loading && dests.nodes.length === 0 ? <Loading what="destinations" /> : dests.nodes.length === 0 ? (
        <Empty title="No destinations yet">Add the URL of an endpoint of yours below; then send it a test webhook.</Empty>
      ) : (
        <ul className="cards">{dests.nodes.map((d) => (
          <li key={d.id} className="card">
            <h2>{d.name} <span className={`badge ${d.enabled ? 'ok' : 'bad'}`}>{d.enabled ? 'enabled' : 'disabled'}</span></h2>
            <p><code>{d.url}</code></p>
            {d.disabledReason ? <p className="error">{d.disabledReason}</p> : null}
            {d.failingSince ? <p className="error">Failing since <When at={d.failingSince} /></p> : null}
            <p className="muted">Types: {[...d.resourceTypes, ...d.eventTypes].join(', ') || 'all'} · batches of {d.batchMaxEvents} or {d.batchMaxWaitMs} ms · signature in {d.signatureHeader} · secrets {d.secrets.map((s) => s.fingerprint).join(', ')}</p>
            <details><summary>Last deliveries ({d.deliveries.totalCount})</summary>
              <ul>{d.deliveries.edges.map(({ node: x }) => <li key={x.id}><span className={`badge ${x.outcome === 'DELIVERED' ? 'ok' : 'bad'}`}>{x.outcome}</span> {x.resourceType} ×{x.eventCount} · {x.attempts} attempts {x.lastStatus ?? ''} <When at={x.createdAt} />{x.lastError ? ` — ${x.lastError}` : ''}</li>)}</ul>
            </details>
            <div className="actions">
              <button type="button" className="small" onClick={() => void test({ id: d.id }).then(dests.reload)}>Send test webhook</button>
              {d.enabled ? <button type="button" className="small" onClick={() => void disable({ id: d.id }).then(dests.reload)}>Disable</button>
                : <button type="button" className="small" onClick={() => void enable({ id: d.id }).then(dests.reload)}>Enable</button>}
              <button type="button" className="small" onClick={() => void rotate({ id: d.id }).then(dests.reload)}>Rotate secret</button>
              <button type="button" className="small danger" onClick={() => { if (window.confirm(`Delete “${d.name}”?`)) void remove({ id: d.id }).then(dests.reload); }}>Delete</button>
            </div>
          </li>
        ))}</ul>
      )}
      <Pager shown={dests.nodes.length} total={dests.total} hasNext={dests.hasNext} loading={dests.loading} onMore={dests.more} />
      <form className="panel" onSubmit={submit} aria-labelledby="dest-h">
        <h2 id="dest-h">New destination</h2>
        <TextInput label="Name" required value={form.name} onChange={set('name')} />
        <TextInput label="URL" type="url" required value={form.url} onChange={set('url')} placeholder="https://example.com/webhooks/datahub" />
        <TextInput label="Resource types (comma separated, optional)" value={form.resourceTypes} onChange={set('resourceTypes')} />
        <TextInput label="Business event types (comma separated, optional)" value={form.eventTypes} onChange={set('eventTypes')} />
        <ErrorBox error={created.error} />
        <button type="submit" className="primary" disabled={created.running}>Create destination</button>
      </form>
    </>
  );
}
