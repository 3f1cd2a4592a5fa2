import type { Connector } from '../api/catalog';
import { Select, TextInput } from '../ui/form';

export interface EndpointValue { connector: string; operation: string; credentialId: string; baseUrl: string; params: Record<string, string> }
export const emptyEndpoint = (): EndpointValue => ({ connector: '', operation: '', credentialId: '', baseUrl: '', params: {} });

const SOURCE_KINDS = ['get', 'search', 'list'];
const TARGET_KINDS = ['create', 'update', 'upsert'];

/** Connector, operation, credential, account URL and parameters of a source or target. */
export function EndpointForm({ role, value, onChange, connectors, credentials, connectorOnly }: {
  role: 'source' | 'target'; value: EndpointValue; onChange(v: EndpointValue): void; connectorOnly?: boolean;
  connectors: readonly Connector[]; credentials: readonly { id: string; name: string; kind: string }[];
}) {
  const c = connectors.find((x) => x.id === value.connector);
  const kinds = role === 'source' ? SOURCE_KINDS : TARGET_KINDS;
  const ops = c?.operations.filter((o) => kinds.includes(o.kind)) ?? [];
  const creds = c ? credentials.filter((k) => c.auth.map((a) => a.toUpperCase()).includes(k.kind)) : [];
  const set = (patch: Partial<EndpointValue>) => onChange({ ...value, ...patch });
  const label = role === 'source' ? 'Source' : 'Target';
  return (
    <fieldset className="endpoint">
      <legend>{label}{c ? `: ${c.name}` : ''}</legend>
      <Select label={`${label} connector`} value={value.connector} required
        onChange={(e) => { const n = connectors.find((x) => x.id === e.target.value); set({ connector: e.target.value, operation: n?.operations.find((o) => kinds.includes(o.kind))?.name ?? '', credentialId: '', params: {} }); }}
        options={[{ value: '', label: 'choose…' }, ...connectors.map((x) => ({ value: x.id, label: x.name }))]} />
      {c && connectorOnly ? <p className="muted">Push: the webhook carries the record; the hub does not read {c.name}.</p> : null}
      {c && !connectorOnly ? (
        <>
          <Select label={`${label} operation`} value={value.operation} onChange={(e) => set({ operation: e.target.value })}
            options={ops.map((o) => ({ value: o.name, label: `${o.name} — ${o.description}` }))} />
          <Select label={`${label} credential`} value={value.credentialId} required onChange={(e) => set({ credentialId: e.target.value })}
            options={[{ value: '', label: creds.length ? 'choose…' : `no ${c.name} credential yet: add one under Credentials` }, ...creds.map((k) => ({ value: k.id, label: `${k.name} (${k.kind})` }))]} />
          <TextInput label={`${label} account base URL`} required value={value.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} placeholder={c.baseUrlTemplate} hint={`Like ${c.baseUrlTemplate}`} />
          {c.params.map((p) => (
            <TextInput key={p.name} label={`${label} ${p.name}${p.required ? '' : ' (optional)'}`} required={p.required} hint={p.description}
              value={value.params[p.name] ?? ''} placeholder={p.default ?? ''} onChange={(e) => set({ params: { ...value.params, [p.name]: e.target.value } })} />
          ))}
        </>
      ) : null}
    </fieldset>
  );
}

/** The API's EndpointInput (empty parameters left out). */
export function endpointInput(v: EndpointValue) {
  const params = Object.fromEntries(Object.entries(v.params).filter(([, x]) => x.trim() !== ''));
  return { connector: v.connector, operation: v.operation, credentialId: v.credentialId, baseUrl: v.baseUrl, params };
}
