// ActiveCampaign API v3 resources the hub uses [AC-OAS, AC-PAG]: contacts (create, sync by email,
// read, update, delete, list with limit/offset and meta.total), custom fields and lists.
import type { EmulatorRequest, EmulatorResponse, Route } from '../emulator/emulator.router';
import { acBadInput, acNotFound, acValidation } from './activecampaign.errors';
import { ActiveCampaignStore, ContactInput } from './activecampaign.store';
import type { AcContact } from './activecampaign.types';
import type { WebhookRegistry } from '../emulator/webhook.registry';

export const BASE_PATH = '/api/3';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What AC posts to its webhooks when a contact is added or changed [api-evangelist AC webhooks asyncapi]. */
export function notifyContact(hooks: WebhookRegistry, type: 'subscribe' | 'update', c: AcContact, clock: () => number = Date.now): void {
  const form = new URLSearchParams({
    type, date_time: new Date(clock()).toISOString(), initiated_by: 'api',
    'contact[id]': c.id, 'contact[email]': c.email, 'contact[first_name]': c.firstName, 'contact[last_name]': c.lastName, 'contact[phone]': c.phone,
  });
  hooks.fire(form, (h) => Array.isArray(h.spec.events) && h.spec.events.includes(type));
}

const WEBHOOK_EVENTS = new Set(['subscribe', 'unsubscribe', 'update', 'bounce', 'click', 'open', 'sent', 'forward', 'reply', 'contact_tag_added', 'contact_tag_removed', 'deal_add', 'deal_update']);
const WEBHOOK_SOURCES = new Set(['public', 'admin', 'api', 'system']);

export function activeCampaignRoutes(store: ActiveCampaignStore, hooks: WebhookRegistry): Route[] {
  const route = (method: string, path: string, handle: (req: EmulatorRequest) => EmulatorResponse): Route => ({ method, path: BASE_PATH + path, handle });
  const withContact = (fn: (req: EmulatorRequest, c: AcContact) => EmulatorResponse) => (req: EmulatorRequest) => {
    const c = store.get(req.params.id);
    return c ? fn(req, c) : acNotFound('Subscriber', req.params.id);
  };
  return [
    route('GET', '/contacts', (req) => listContacts(store, req)),
    route('POST', '/contacts', (req) => {
      const input = contactInput(store, req.body);
      if (typeof input === 'string') return acValidation(input, 'field_missing', '/data/attributes/email');
      if (store.findByEmail(input.email)) return acValidation('Email address already exists in the system', 'duplicate', '/data/attributes/email');
      const created = store.create(input);
      notifyContact(hooks, 'subscribe', created);
      return { status: 201, body: contactWithValues(req, created) };
    }),
    route('POST', '/contact/sync', (req) => {
      const input = contactInput(store, req.body);
      if (typeof input === 'string') return acBadInput;
      const existing = store.findByEmail(input.email);
      // Documented: 201. An update answering 200 is this emulator's reading (undocumented).
      const saved = existing ? store.update(existing.id, input) : store.create(input);
      notifyContact(hooks, existing ? 'update' : 'subscribe', saved);
      return { status: existing ? 200 : 201, body: contactWithValues(req, saved) };
    }),
    route('GET', '/contacts/:id', withContact((req, c) => ({
      status: 200,
      body: { ...contactWithValues(req, c), contactLists: c.lists.map((l) => ({ contact: c.id, list: l, status: '1' })) },
    }))),
    route('PUT', '/contacts/:id', withContact((req, c) => {
      const input = contactInput(store, req.body, false);
      if (typeof input === 'string') return acBadInput;
      if (input.email && input.email.toLowerCase() !== c.email.toLowerCase() && store.findByEmail(input.email)) {
        return acValidation('Email address already exists in the system', 'duplicate', '/data/attributes/email');
      }
      const updated = store.update(c.id, input);
      notifyContact(hooks, 'update', updated);
      return { status: 200, body: contactWithValues(req, updated) };
    })),
    route('GET', '/webhooks', () => ({ status: 200, body: { webhooks: hooks.all().map(webhookJson), meta: { total: String(hooks.all().length) } } })),
    route('POST', '/webhooks', (req) => {
      const w = isRecord(req.body) && isRecord(req.body.webhook) ? req.body.webhook : undefined;
      if (!w || typeof w.name !== 'string' || w.name === '') return acValidation('Webhook name is required', 'field_missing', '/data/attributes/name');
      if (typeof w.url !== 'string' || !/^https?:\/\//.test(w.url)) return acValidation('A valid url is required', 'field_missing', '/data/attributes/url');
      const events = Array.isArray(w.events) ? w.events.map(String) : [];
      const sources = Array.isArray(w.sources) ? w.sources.map(String) : [];
      if (!events.length || events.some((e) => !WEBHOOK_EVENTS.has(e))) return acValidation('events must name known webhook events', 'invalid', '/data/attributes/events');
      if (!sources.length || sources.some((x) => !WEBHOOK_SOURCES.has(x))) return acValidation('sources must be public, admin, api or system', 'invalid', '/data/attributes/sources');
      return { status: 201, body: { webhook: webhookJson(hooks.add(w.url, { name: w.name, events, sources, listid: String(w.listid ?? '0') })) } };
    }),
    route('GET', '/webhooks/:id', (req) => {
      const h = hooks.get(req.params.id);
      return h ? { status: 200, body: { webhook: webhookJson(h) } } : acNotFound('Webhook', req.params.id);
    }),
    route('DELETE', '/webhooks/:id', (req) => (hooks.delete(req.params.id) ? { status: 200, body: {} } : acNotFound('Webhook', req.params.id))),
    route('DELETE', '/contacts/:id', withContact((_req, c) => {
      store.delete(c.id);
      return { status: 200, body: {} };
    })),
    route('GET', '/contacts/:id/fieldValues', withContact((req, c) => ({ status: 200, body: { fieldValues: fieldValuesJson(req, c) } }))),
    route('GET', '/fields', (req) => {
      const paging = pagingOf(req);
      if (!paging) return acBadInput;
      return { status: 200, body: { fields: store.fields.slice(paging.offset, paging.offset + paging.limit), meta: { total: String(store.fields.length) } } };
    }),
    route('POST', '/fields', (req) => {
      const f = isRecord(req.body) && isRecord(req.body.field) ? req.body.field : undefined;
      if (!f || typeof f.title !== 'string' || typeof f.type !== 'string') return acValidation('Field title and type are required', 'field_missing', '/data/attributes/title');
      const perstag = typeof f.perstag === 'string' ? f.perstag : f.title.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      return { status: 201, body: { field: store.addField({ title: f.title, type: f.type, perstag }) } };
    }),
    route('GET', '/lists', (req) => {
      const paging = pagingOf(req);
      if (!paging) return acBadInput;
      return { status: 200, body: { lists: store.lists.slice(paging.offset, paging.offset + paging.limit), meta: { total: String(store.lists.length) } } };
    }),
    route('POST', '/lists', (req) => {
      const l = isRecord(req.body) && isRecord(req.body.list) ? req.body.list : undefined;
      if (!l || typeof l.name !== 'string' || l.name === '') return acValidation('List name is required', 'field_missing', '/data/attributes/name');
      return { status: 201, body: { list: store.addList(l.name, typeof l.stringid === 'string' ? l.stringid : undefined) } };
    }),
    route('POST', '/contactLists', (req) => {
      const cl = isRecord(req.body) && isRecord(req.body.contactList) ? req.body.contactList : undefined;
      const contact = cl && store.get(String(cl.contact));
      const list = cl && store.lists.find((l) => l.id === String(cl.list));
      if (!cl || !contact || !list) return acValidation('contact and list must exist', 'invalid', '/data/attributes/contactList');
      const subscribed = String(cl.status ?? '1') === '1';
      store.subscribe(contact.id, list.id, subscribed);
      return { status: 201, body: { contacts: [contactJson(req, store.get(contact.id)!)], contactList: { contact: contact.id, list: list.id, status: subscribed ? '1' : '2' } } };
    }),
  ];
}

/** The body's contact, or what is wrong with it; `email` is required unless `requireEmail` is false. */
function contactInput(store: ActiveCampaignStore, body: unknown, requireEmail = true): (ContactInput & { email: string }) | string {
  const c = isRecord(body) && isRecord(body.contact) ? body.contact : undefined;
  if (!c) return 'contact is required';
  if (c.email !== undefined && typeof c.email !== 'string') return 'email must be a string';
  if (requireEmail && (typeof c.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(c.email))) return 'Email address is required';
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const fieldValues: Record<string, string> = {};
  if (c.fieldValues !== undefined) {
    if (!Array.isArray(c.fieldValues)) return 'fieldValues must be an array';
    for (const fv of c.fieldValues) {
      if (!isRecord(fv) || fv.field === undefined) return 'every fieldValue needs a field';
      // Values for fields the account does not have are ignored (lenient; see the README).
      if (store.field(String(fv.field))) fieldValues[String(fv.field)] = fv.value === undefined || fv.value === null ? '' : String(fv.value);
    }
  }
  return { email: c.email as string, firstName: text(c.firstName), lastName: text(c.lastName), phone: text(c.phone), fieldValues };
}

function webhookJson(h: { id: string; url: string; spec: Record<string, unknown> }) {
  return { ...h.spec, url: h.url, id: h.id, cdate: '', state: 'active' };
}

function pagingOf(req: EmulatorRequest): { limit: number; offset: number } | undefined {
  const int = (name: string, fallback: number) => {
    const raw = req.query.get(name);
    if (raw === null || raw === '') return fallback;
    return /^\d+$/.test(raw) ? Number(raw) : NaN;
  };
  const limit = int('limit', DEFAULT_LIMIT);
  const offset = int('offset', 0);
  if (Number.isNaN(limit) || Number.isNaN(offset)) return undefined;
  // Past the maximum the page is cut to 100 (lenient: the docs only state the maximum).
  return { limit: Math.min(Math.max(limit, 1), MAX_LIMIT), offset };
}

function listContacts(store: ActiveCampaignStore, req: EmulatorRequest): EmulatorResponse {
  const paging = pagingOf(req);
  if (!paging) return acBadInput;
  const q = req.query;
  const email = q.get('email')?.toLowerCase();
  const like = q.get('email_like')?.toLowerCase();
  const search = q.get('search')?.toLowerCase();
  const ids = [...q.getAll('ids[]'), ...q.getAll('ids').flatMap((s) => s.split(','))].filter(Boolean);
  const listId = q.get('listid');
  const idGreater = q.get('id_greater');
  const idLess = q.get('id_less');
  let found = store.all().filter((c) =>
    (!email || c.email.toLowerCase() === email) &&
    (!like || c.email.toLowerCase().includes(like)) &&
    (!search || [c.email, c.firstName, c.lastName].some((v) => v.toLowerCase().includes(search))) &&
    (!ids.length || ids.includes(c.id)) &&
    (!listId || c.lists.includes(listId)) &&
    (!idGreater || Number(c.id) > Number(idGreater)) &&
    (!idLess || Number(c.id) < Number(idLess)));
  const order = q.get('orders[email]') ? (['email', q.get('orders[email]')] as const) : (['id', q.get('orders[id]') ?? 'ASC'] as const);
  const dir = String(order[1]).toUpperCase() === 'DESC' ? -1 : 1;
  found = found.sort((a, b) => dir * (order[0] === 'id' ? Number(a.id) - Number(b.id) : a.email.localeCompare(b.email)));
  return {
    status: 200,
    body: {
      scoreValues: [],
      contacts: found.slice(paging.offset, paging.offset + paging.limit).map((c) => contactJson(req, c)),
      meta: { total: String(found.length), page_input: { segmentid: null, formid: 0, listid: Number(listId ?? 0), tagid: 0, limit: paging.limit, offset: paging.offset, search: search ?? null, sort: null } },
    },
  };
}

const base = (req: EmulatorRequest) => `http://${req.headers.host ?? 'localhost'}${BASE_PATH}`;

function contactJson(req: EmulatorRequest, c: AcContact) {
  const self = `${base(req)}/contacts/${c.id}`;
  return {
    cdate: c.cdate, email: c.email, phone: c.phone, firstName: c.firstName, lastName: c.lastName, orgid: '0', orgname: '',
    segmentio_id: '', bounced_hard: '0', bounced_soft: '0', deleted: '0', anonymized: '0', udate: c.udate,
    links: { fieldValues: `${self}/fieldValues`, contactLists: `${self}/contactLists`, contactTags: `${self}/contactTags` },
    id: c.id, organization: null,
  };
}

function fieldValuesJson(req: EmulatorRequest, c: AcContact) {
  return Object.entries(c.fieldValues).map(([field, value]) => {
    const id = `${c.id}${field.padStart(3, '0')}`;
    return {
      contact: c.id, field, value, cdate: c.cdate, udate: c.udate, created_by: null, updated_by: null,
      links: { owner: `${base(req)}/fieldValues/${id}/owner`, field: `${base(req)}/fieldValues/${id}/field` }, id, owner: c.id,
    };
  });
}

function contactWithValues(req: EmulatorRequest, c: AcContact) {
  return { fieldValues: fieldValuesJson(req, c), contact: contactJson(req, c) };
}
