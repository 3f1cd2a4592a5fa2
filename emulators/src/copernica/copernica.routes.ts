// Copernica REST v3 resources the hub uses (CP-v3): find, create, update, upsert, interests.
import type { EmulatorRequest, EmulatorResponse, Route } from '../emulator/emulator.router';
import { fieldsOf, flag, interestChange, isRecord } from './copernica.body';
import { copernicaError, FIELDS_REQUIRED, INVALID_DATA, NO_DATABASE, NO_ENTITY } from './copernica.errors';
import { matchesAll, parseFieldConditions, sortProfiles } from './copernica.filter';
import { CopernicaStore, Database, StoredProfile } from './copernica.store';
import type { WebhookRegistry } from '../emulator/webhook.registry';

const WEBHOOK_TRIGGERS = new Set(['create', 'update', 'delete']);

/** What Copernica posts to a webhook when a profile changes [doc feedback-updates]: form-encoded. */
export function notifyProfile(hooks: WebhookRegistry, store: CopernicaStore, p: StoredProfile, type: 'create' | 'update'): void {
  const json = store.json(p);
  const form = new URLSearchParams({
    type, profile: String(p.id), database: String(p.databaseId), timestamp: json.modified, time: json.modified, created: json.created, modified: json.modified,
  });
  for (const [k, v] of Object.entries(p.fields)) form.append(`fields[${k}]`, v);
  for (const i of p.interests) form.append('interests[]', i);
  hooks.fire(form, (h) => h.spec.trigger === type && Number(h.spec.database) === p.databaseId);
}

export const BASE_PATH = '/v3';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

type Handler = (req: EmulatorRequest) => EmulatorResponse;

export function copernicaRoutes(store: CopernicaStore, hooks: WebhookRegistry): Route[] {
  const withDb = (fn: (req: EmulatorRequest, db: Database) => EmulatorResponse): Handler => (req) => {
    const db = store.database(req.params.db);
    return db ? fn(req, db) : copernicaError(NO_DATABASE);
  };
  const withProfile = (fn: (req: EmulatorRequest, p: StoredProfile) => EmulatorResponse, allowRemoved = false): Handler => (req) => {
    const p = store.profile(req.params.id);
    return p && (allowRemoved || !p.removed) ? fn(req, p) : copernicaError(NO_ENTITY);
  };
  const created = (req: EmulatorRequest, kind: string, id: string | number): EmulatorResponse => ({
    status: 201,
    headers: { 'X-Created': String(id), 'X-location': `http://${req.headers.host ?? 'localhost'}${BASE_PATH}/${kind}/${id}` },
  });
  const route = (method: string, path: string, handle: Handler): Route => ({ method, path: BASE_PATH + path, handle });

  return [
    route('GET', '/database/:db/profiles', withDb((req, db) => listProfiles(store, req, db))),
    route('POST', '/database/:db/profiles', withDb((req, db) => {
      const fields = fieldsOf(req.body);
      if (fields === 'invalid') return copernicaError(INVALID_DATA);
      const p = store.create(db, fields, interestChange(isRecord(req.body) ? req.body.interests : undefined));
      return created(req, 'profile', p.id);
    })),
    route('PUT', '/database/:db/profiles', withDb((req, db) => upsertProfiles(store, req, db, created))),
    route('GET', '/database/:db/interests', withDb((req, db) => page(req, db.interests.map((i) => ({ ...i }))))),
    route('POST', '/database/:db/interests', withDb((req, db) => {
      if (!isRecord(req.body) || typeof req.body.name !== 'string' || req.body.name.trim() === '') return copernicaError(INVALID_DATA);
      const group = typeof req.body.group === 'string' ? req.body.group : '';
      return created(req, 'interest', store.interest(db, req.body.name.trim(), group).ID);
    })),
    route('GET', '/webhooks', (req) => page(req, hooks.all().map(webhookJson))),
    route('POST', '/webhooks', (req) => {
      const b = isRecord(req.body) ? req.body : undefined;
      if (!b || typeof b.handler !== 'string' || !/^https?:\/\//.test(b.handler) || !WEBHOOK_TRIGGERS.has(String(b.trigger))) return copernicaError(INVALID_DATA);
      if (!store.database(String(b.database))) return copernicaError(NO_DATABASE);
      return created(req, 'webhook', hooks.add(b.handler, { trigger: String(b.trigger), database: Number(b.database) }).id);
    }),
    route('GET', '/webhook/:id', (req) => {
      const h = hooks.get(req.params.id);
      return h ? { status: 200, body: webhookJson(h) } : copernicaError(NO_ENTITY);
    }),
    route('DELETE', '/webhook/:id', (req) => (hooks.delete(req.params.id) ? { status: 204, headers: { 'X-deleted': `webhook ${req.params.id}` } } : copernicaError(NO_ENTITY))),
    route('GET', '/profile/:id', withProfile((_req, p) => ({ status: 200, body: store.json(p) }), true)),
    route('PUT', '/profile/:id', withProfile((req, p) => {
      const body = isRecord(req.body) ? req.body : {};
      // The live API ignores a non-object `fields` here instead of failing [CP-obs].
      store.update(p, isRecord(body.fields) ? body.fields : {}, interestChange(body.interests), 'merge');
      if (typeof body.secret === 'string') p.secret = body.secret;
      return { status: 204 };
    })),
    route('DELETE', '/profile/:id', withProfile((_req, p) => {
      store.remove(p);
      return { status: 204, headers: { 'X-deleted': `profile ${p.id}` } };
    })),
    route('GET', '/profile/:id/fields', withProfile((_req, p) => ({ status: 200, body: store.json(p).fields }), true)),
    route('PUT', '/profile/:id/fields', withProfile((req, p) => {
      store.update(p, isRecord(req.body) ? req.body : {}, { on: [], off: [] }, 'merge');
      return { status: 204 };
    })),
    route('GET', '/profile/:id/interests', withProfile((req, p) => profileInterests(store, req, p), true)),
    route('PUT', '/profile/:id/interests', withProfile((req, p) => {
      store.update(p, {}, interestChange(req.body), 'overwrite');
      return { status: 204 };
    })),
    route('POST', '/profile/:id/interests', withProfile((req, p) => {
      store.update(p, {}, interestChange(req.body), 'merge');
      return { status: 201 };
    })),
  ];
}

function webhookJson(h: { id: string; url: string; spec: Record<string, unknown> }) {
  return { ID: h.id, handler: h.url, trigger: h.spec.trigger, database: String(h.spec.database) };
}

/** `fields[]=…` statements, also accepting `fields[0]=…` and a bare `fields=…`. */
function fieldStatements(query: URLSearchParams): string[] | undefined {
  const statements = [...query].filter(([name]) => name === 'fields' || /^fields\[\d*\]$/.test(name)).map(([, v]) => v);
  return statements.length ? statements : undefined;
}

/** CP-v3 rest-paging: start (offset), limit (≤ 1000), total (false omits the count). */
function paging(query: URLSearchParams) {
  const int = (name: string, fallback: number) => {
    const n = Number.parseInt(query.get(name) ?? '', 10);
    return Number.isNaN(n) ? fallback : n;
  };
  const total = query.get('total');
  return {
    start: Math.max(0, int('start', 0)),
    limit: Math.min(MAX_LIMIT, Math.max(0, int('limit', DEFAULT_LIMIT))),
    total: total === null || !/^(false|0|no|off)$/i.test(total.trim()),
  };
}

function page<T>(req: EmulatorRequest, items: T[]): EmulatorResponse {
  const { start, limit, total } = paging(req.query);
  const data = items.slice(start, start + limit);
  return { status: 200, body: { start, limit, count: data.length, ...(total ? { total: items.length } : {}), data } };
}

function listProfiles(store: CopernicaStore, req: EmulatorRequest, db: Database): EmulatorResponse {
  const conditions = parseFieldConditions(fieldStatements(req.query) ?? [], db);
  const found = sortProfiles(store.list(db.id).filter((p) => matchesAll(p, conditions)), db, req.query.get('orderby'), req.query.get('order'));
  const dataOnly = flag(req.query.get('dataonly'));
  return page(
    req,
    found.map((p) => {
      const json = store.json(p);
      return dataOnly ? { ID: json.ID, fields: json.fields, interests: json.interests, secret: json.secret, modified: json.modified } : json;
    }),
  );
}

/** PUT /database/{id}/profiles: update every match; create one when none match and create=1. */
function upsertProfiles(
  store: CopernicaStore,
  req: EmulatorRequest,
  db: Database,
  created: (req: EmulatorRequest, kind: string, id: number) => EmulatorResponse,
): EmulatorResponse {
  const statements = fieldStatements(req.query);
  if (!statements) return copernicaError(FIELDS_REQUIRED);
  const fields = fieldsOf(req.body);
  if (fields === 'invalid') return copernicaError(INVALID_DATA);
  const interests = interestChange(isRecord(req.body) ? req.body.interests : undefined);
  const conditions = parseFieldConditions(statements, db);
  const matches = store.list(db.id).filter((p) => matchesAll(p, conditions));
  for (const p of matches) store.update(p, fields, interests, 'merge');
  if (matches.length === 0 && flag(req.query.get('create'))) return created(req, 'profile', store.create(db, fields, interests).id);
  return { status: 204 };
}

/** GET /profile/{id}/interests: names by default, `return=ids` or `return=objects` otherwise. */
function profileInterests(store: CopernicaStore, req: EmulatorRequest, p: StoredProfile): EmulatorResponse {
  const db = store.database(p.databaseId)!;
  const objects = p.interests.map((name) => store.interest(db, name));
  const mode = req.query.get('return');
  const body = mode === 'ids' ? objects.map((i) => i.ID) : mode === 'objects' ? objects : [...p.interests];
  return { status: 200, body };
}
