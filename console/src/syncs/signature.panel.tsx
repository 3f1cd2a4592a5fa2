import { useState } from 'react';
import { graphql } from '../api/graphql';
import { useMutation, useQuery } from '../api/hooks';
import { ErrorBox, Loading, ShownOnce, When } from '../ui/feedback';
import { Select, TextInput } from '../ui/form';

const SignatureQuery = graphql(`query Signature($id: ID!) { sync(id: $id) { id inboundSignature { scheme header toleranceSec secrets { id fingerprint createdAt expiresAt } } } }`);
const SetSignature = graphql(`mutation SetSignature($input: SetInboundSignatureInput!) { setInboundSignature(input: $input) { id } }`);
const DisableSignature = graphql(`mutation DisableSignature($syncId: ID!) { disableInboundSignature(syncId: $syncId) { id } }`);
const AddSecret = graphql(`mutation AddSecret($input: AddInboundSignatureSecretInput!) { addInboundSignatureSecret(input: $input) { secret signatureSecret { id fingerprint } } }`);
type Scheme = 'HMAC_SHA256_HEX' | 'STANDARD_WEBHOOKS' | 'GITHUB';

/** Whether webhooks must be signed by the origin, with which scheme, and its secrets (rotation with overlap). */
export function SignaturePanel({ syncId }: { syncId: string }) {
  const q = useQuery(SignatureQuery, { id: syncId });
  const [scheme, setScheme] = useState<Scheme>('STANDARD_WEBHOOKS');
  const [header, setHeader] = useState('X-Signature');
  const [retire, setRetire] = useState('86400');
  const [set, setState] = useMutation(SetSignature);
  const [disable, disabled] = useMutation(DisableSignature);
  const [add, added] = useMutation(AddSecret);
  const sig = q.data?.sync.inboundSignature;
  return (
    <section className="panel" aria-labelledby="sig-h">
      <h2 id="sig-h">Signature verification</h2>
      <ErrorBox error={q.error ?? setState.error ?? disabled.error ?? added.error} />
      {q.loading && !q.data ? <Loading what="signature settings" /> : sig ? (
        <>
          <p>Required: <strong>{sig.scheme}</strong>{sig.header ? <> in <code>{sig.header}</code></> : null}, tolerance {sig.toleranceSec} s.</p>
          <ul>{sig.secrets.map((s) => <li key={s.id}><code>{s.fingerprint}</code> added <When at={s.createdAt} />{s.expiresAt ? <> · expires <When at={s.expiresAt} /></> : null}</li>)}</ul>
          {sig.secrets.length === 0 ? <p className="notice">No secret yet: every webhook is refused until you add one.</p> : null}
          <form className="inline" onSubmit={(e) => { e.preventDefault(); void add({ input: { syncId, retireOthersAfterSec: sig.secrets.length ? Number(retire) : null } }).then(q.reload); }}>
            {sig.secrets.length ? <TextInput label="Old secrets keep working for (s)" type="number" min={0} value={retire} onChange={(e) => setRetire(e.target.value)} /> : null}
            <button type="submit">{sig.secrets.length ? 'Rotate secret' : 'Generate secret'}</button>
            <button type="button" className="danger" onClick={() => void disable({ syncId }).then(q.reload)}>Stop requiring signatures</button>
          </form>
          {added.data ? <ShownOnce label="Signing secret for the origin platform" value={added.data.addInboundSignatureSecret.secret} /> : null}
        </>
      ) : (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void set({ input: { syncId, scheme, header: scheme === 'HMAC_SHA256_HEX' ? header : null } }).then(q.reload); }}>
          <p className="muted">Off: any caller with the key is accepted. Require a signature when the origin platform can sign.</p>
          <Select label="Scheme" value={scheme} onChange={(e) => setScheme(e.target.value as Scheme)}
            options={[{ value: 'STANDARD_WEBHOOKS', label: 'Standard Webhooks' }, { value: 'HMAC_SHA256_HEX', label: 'HMAC-SHA256 (hex) in a header' }, { value: 'GITHUB', label: 'GitHub (X-Hub-Signature-256)' }]} />
          {scheme === 'HMAC_SHA256_HEX' ? <TextInput label="Header" value={header} onChange={(e) => setHeader(e.target.value)} /> : null}
          <button type="submit">Require signatures</button>
        </form>
      )}
    </section>
  );
}
