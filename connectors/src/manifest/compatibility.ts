import { isSplitUpsert, SOURCE_OPERATION_KINDS, TARGET_OPERATION_KINDS, type ConnectorManifest, type Operation } from './manifest.types';

/**
 * What a sync from `source` to `target` can use and still needs, read from the two connector
 * manifests only (operations, field catalogs, auth, params, limits). Nothing here names a platform:
 * adding a manifest makes it part of every pair.
 */
export interface CompatibilityReport {
  source: string;
  target: string;
  /** At least one trigger the source offers and one operation the target takes. */
  compatible: boolean;
  triggers: TriggerOffer[];
  sourceOperations: OperationSummary[];
  targetOperations: OperationSummary[];
  fields: FieldMatch[];
  /** Target fields no source field matches: the mapping has to produce them itself. */
  unmatchedTargetFields: string[];
  auth: { source: AuthNeed[]; target: AuthNeed[] };
  formats: FormatNote[];
  needs: string[];
}

export type TriggerKindName = 'notify' | 'push' | 'bulk';

export interface TriggerOffer {
  kind: TriggerKindName;
  available: boolean;
  /** The source operation it uses (notify: a get, bulk: a list). */
  operations: string[];
  detail: string;
}

export interface OperationSummary {
  name: string;
  kind: string;
  description: string;
  /** Calls it makes: one HTTP method, or lookup → create / update for a split upsert. */
  calls: string;
}

export type MatchBasis = 'name' | 'description';

export interface FieldMatch {
  sourceField: string;
  sourceType: string;
  targetField: string;
  targetType: string;
  basis: MatchBasis;
  /** Same type, or one the mapping can pass through unchanged. */
  typeCompatible: boolean;
  note: string;
}

export interface AuthNeed {
  kind: string;
  detail: string;
}

export interface FormatNote {
  side: 'source' | 'target';
  what: string;
}

const LIST_KINDS = ['list'];

/** `contact.firstName` → `firstname`: the last segment, lower case, letters and digits only. */
function leaf(name: string): string {
  return (name.split('.').at(-1) ?? name).toLowerCase().replace(/[^a-z0-9]/g, '');
}

function typesFit(from: string, to: string): boolean {
  if (from === to) return true;
  const scalar = (t: string) => ['string', 'number', 'integer', 'boolean'].includes(t);
  return to === 'string' && scalar(from);
}

function calls(m: ConnectorManifest, op: Operation): string {
  if (!isSplitUpsert(op)) return `${op.method} ${op.path}`;
  const http = (name: string) => {
    const o = m.operations[name];
    return o && !isSplitUpsert(o) ? `${o.method} ${o.path}` : name;
  };
  return `${http(op.lookup)} (lookup by ${op.matchParam}), then ${http(op.update)} or ${http(op.create)}`;
}

function operations(m: ConnectorManifest, kinds: readonly string[]): OperationSummary[] {
  return Object.entries(m.operations).filter(([, op]) => kinds.includes(op.kind)).map(([name, op]) => ({ name, kind: op.kind, description: op.description, calls: calls(m, op) }));
}

function authNeeds(m: ConnectorManifest): AuthNeed[] {
  return m.auth.map((kind) => {
    const d = m.authDefaults;
    const detail = kind === 'api_key' && d?.api_key ? `API key sent in the ${d.api_key.in} as ${d.api_key.name}`
      : kind === 'oauth2_client_credentials' && d?.oauth2_client_credentials ? `client id and secret; tokens from ${d.oauth2_client_credentials.tokenPath} below the base URL, cached and renewed by the hub`
        : kind === 'oauth2_authorization_code' ? 'tokens from an authorization-code handshake; the hub refreshes them'
          : kind === 'oauth1' ? 'consumer key and secret (and token), requests signed per RFC 5849'
            : `a ${kind} credential`;
    return { kind, detail };
  });
}

/** Field pairs: equal leaf names first; else a target field a source field's description mentions (e.g. "properties: … e.g. email"). */
function matchFields(source: ConnectorManifest, target: ConnectorManifest): FieldMatch[] {
  const out: FieldMatch[] = [];
  for (const t of target.fields ?? []) {
    const byName = (source.fields ?? []).find((s) => leaf(s.name) === leaf(t.name));
    if (byName) {
      const fit = typesFit(byName.type, t.type);
      out.push({ sourceField: byName.name, sourceType: byName.type, targetField: t.name, targetType: t.type, basis: 'name', typeCompatible: fit,
        note: fit ? 'same name and a type that passes through' : `same name, but ${byName.type} must be converted to ${t.type}` });
      continue;
    }
    const word = new RegExp(`\\b${leaf(t.name)}\\b`, 'i');
    for (const s of source.fields ?? []) {
      if (leaf(t.name).length < 3 || !s.description || !word.test(s.description)) continue;
      out.push({ sourceField: s.name, sourceType: s.type, targetField: t.name, targetType: t.type, basis: 'description', typeCompatible: typesFit(s.type, t.type),
        note: `${source.name}'s ${s.name} holds ${leaf(t.name)} (${s.description}); the mapping picks it out` });
    }
  }
  return out;
}

export function compatibility(source: ConnectorManifest, target: ConnectorManifest): CompatibilityReport {
  const gets = operations(source, SOURCE_OPERATION_KINDS);
  const lists = operations(source, LIST_KINDS);
  const targetOps = operations(target, TARGET_OPERATION_KINDS);
  const watermarked = lists.filter((l) => { const op = source.operations[l.name]; return op && !isSplitUpsert(op) && op.watermark; }).map((l) => l.name);
  const triggers: TriggerOffer[] = [
    { kind: 'notify', available: gets.length > 0, operations: gets.map((g) => g.name),
      detail: gets.length ? `the origin sends only an id; the hub fetches the record with ${gets.map((g) => g.name).join(' or ')}` : `${source.name} has no get operation to fetch a record by id` },
    { kind: 'push', available: true, operations: [], detail: `the origin posts the whole record to the hub (needs ${source.name} to send it; the manifest cannot tell)` },
    { kind: 'bulk', available: lists.length > 0, operations: lists.map((l) => l.name),
      detail: lists.length ? `scheduled runs page through ${lists.map((l) => l.name).join(', ')}${watermarked.length ? `; ${watermarked.join(', ')} can return only records changed since the last run` : ''}` : `${source.name} has no list operation` },
  ];
  const fields = matchFields(source, target);
  const matched = new Set(fields.map((f) => f.targetField));
  const unmatchedTargetFields = (target.fields ?? []).filter((f) => !matched.has(f.name)).map((f) => f.name);
  const formats: FormatNote[] = [
    { side: 'source', what: 'JSON responses' },
    { side: 'target', what: 'JSON request bodies (the mapped payload)' },
    ...lists.map((l) => {
      const op = source.operations[l.name];
      const p = op && !isSplitUpsert(op) ? op.pagination : undefined;
      return { side: 'source' as const, what: `${l.name}: ${p?.style ?? 'unknown'} pagination (page size ${p?.sizeParam ?? '?'}${p?.maxPageSize ? `, at most ${p.maxPageSize}` : ''})` };
    }),
    ...([['source', source], ['target', target]] as const).filter(([, m]) => m.rateLimit).map(([side, m]) => ({ side, what: `at most ${m.rateLimit!.perSecond} requests/s per credential; the hub paces itself below it` })),
  ];
  const compatible = targetOps.length > 0 && triggers.some((t) => t.available);
  return {
    source: source.id, target: target.id, compatible, triggers, sourceOperations: [...gets, ...operations(source, ['search']), ...lists], targetOperations: targetOps,
    fields, unmatchedTargetFields, auth: { source: authNeeds(source), target: authNeeds(target) }, formats,
    needs: needs(source, target, gets.length > 0, targetOps, unmatchedTargetFields),
  };
}

function needs(source: ConnectorManifest, target: ConnectorManifest, canFetch: boolean, targetOps: OperationSummary[], unmatched: string[]): string[] {
  if (targetOps.length === 0) return [`${target.name} has no create, update or upsert operation: it cannot be a sync's target`];
  const out: string[] = [];
  if (canFetch) out.push(`for a NOTIFY trigger, a ${source.name} credential (${source.auth.join(' or ')}) and its base URL (${source.baseUrlTemplate})`);
  else out.push(`a PUSH trigger: ${source.name} has no get operation, so the origin must post whole records`);
  out.push(`a ${target.name} credential (${target.auth.join(' or ')}) and its base URL (${target.baseUrlTemplate})`);
  for (const [name, p] of Object.entries(target.params ?? {})) {
    if (p.required && p.default === undefined) out.push(`the target parameter ${name}: ${p.description}`);
  }
  for (const op of targetOps) {
    const o = target.operations[op.name];
    if (!o) continue;
    const paths = isSplitUpsert(o) ? [o.matchValuePath] : Object.values(o.payloadVars ?? {});
    for (const path of paths) out.push(`with ${op.name}: a mapping whose payload has ${path} (the value ${target.name} matches existing records on)`);
  }
  const required = (target.fields ?? []).filter((f) => /\brequired\b/i.test(f.description ?? '')).map((f) => f.name);
  if (required.length) out.push(`a mapping that produces ${required.join(', ')} (required by ${target.name})`);
  if (unmatched.length) out.push(`a mapping that fills ${unmatched.join(', ')}: nothing in ${source.name}'s field catalog matches them`);
  out.push('an inbound key (createInboundKey) for the origin to call, then activateSyncVersion (test cases first: createSyncTestCase)');
  return out;
}
