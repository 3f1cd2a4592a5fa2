import { startActiveCampaign } from './activecampaign.server';
import type { ActiveCampaignHandle } from './activecampaign.types';

const TOKEN = 'ac-key';

describe('ActiveCampaign emulator over HTTP', () => {
  let ac: ActiveCampaignHandle;
  beforeEach(async () => {
    ac = await startActiveCampaign({ apiTokens: [TOKEN], rateLimitPerSec: 1000 });
  });
  afterEach(() => ac.close());

  const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${ac.url}${path}`, {
      method,
      headers: { ...(token === null ? {} : { 'Api-Token': token }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('refuses a request without a valid Api-Token header', async () => {
    expect((await call('GET', '/contacts', undefined, null)).status).toBe(403);
    expect((await call('GET', '/contacts', undefined, 'wrong')).status).toBe(403);
    expect((await call('GET', '/contacts')).status).toBe(200);
    expect(ac.requests.at(-1)).toMatchObject({ authKind: 'api_token', status: 200, receivedAtMs: expect.any(Number) });
  });

  it('POST /contact/sync creates by email (201) and then updates the same contact, custom fields included', async () => {
    const first = await call('POST', '/contact/sync', { contact: { email: 'jane@example.com', firstName: 'Jane', fieldValues: [{ field: '1', value: 'football' }] } });
    expect(first.status).toBe(201);
    const created = (await first.json()) as { contact: { id: string; email: string }; fieldValues: Array<{ field: string; value: string; contact: string }> };
    expect(created.contact).toMatchObject({ email: 'jane@example.com', id: '1' });
    expect(created.fieldValues).toEqual([expect.objectContaining({ contact: '1', field: '1', value: 'football' })]);

    const second = await call('POST', '/contact/sync', { contact: { email: 'JANE@example.com', lastName: 'Doe', fieldValues: [{ field: '1', value: 'tennis' }] } });
    expect(second.status).toBe(200);
    expect(ac.contacts()).toEqual([expect.objectContaining({ id: '1', firstName: 'Jane', lastName: 'Doe', fieldValues: { '1': 'tennis' } })]);

    const read = (await (await call('GET', '/contacts/1')).json()) as { contact: { email: string }; fieldValues: Array<{ value: string }> };
    expect(read.contact.email).toBe('JANE@example.com');
    expect(read.fieldValues[0].value).toBe('tennis');
  });

  it('answers 400 {} to a sync without an email, 422 duplicate to a second POST /contacts, 404 to an unknown id', async () => {
    const bad = await call('POST', '/contact/sync', { contact: { firstName: 'No email' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({});
    expect((await call('POST', '/contacts', { contact: { email: 'a@example.com' } })).status).toBe(201);
    const dup = await call('POST', '/contacts', { contact: { email: 'a@example.com' } });
    expect(dup.status).toBe(422);
    expect(((await dup.json()) as { errors: Array<{ code: string }> }).errors[0].code).toBe('duplicate');
    const missing = await call('GET', '/contacts/99');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'No Result found for Subscriber with id 99' });
  });

  it('pages GET /contacts with limit/offset (default 20, max 100) and reports meta.total as a string; filters by email', async () => {
    for (let i = 0; i < 130; i++) await call('POST', '/contact/sync', { contact: { email: `c${i}@example.com` } });
    const page = (await (await call('GET', '/contacts')).json()) as { contacts: Array<{ id: string }>; meta: { total: string } };
    expect(page.contacts).toHaveLength(20);
    expect(page.meta.total).toBe('130');
    const last = (await (await call('GET', '/contacts?limit=500&offset=120')).json()) as { contacts: Array<{ id: string }>; meta: { page_input: { limit: number } } };
    expect(last.contacts.map((c) => c.id)).toEqual(['121', '122', '123', '124', '125', '126', '127', '128', '129', '130']);
    expect(last.meta.page_input.limit).toBe(100);
    const one = (await (await call('GET', `/contacts?email=${encodeURIComponent('c7@example.com')}`)).json()) as { contacts: Array<{ id: string }> };
    expect(one.contacts.map((c) => c.id)).toEqual(['8']);
    expect((await call('GET', '/contacts?limit=abc')).status).toBe(400);
  });

  it('has custom fields and lists, and subscribes contacts to lists', async () => {
    const field = (await (await call('POST', '/fields', { field: { type: 'text', title: 'Favourite team' } })).json()) as { field: { id: string } };
    expect(field.field.id).toBe('2');
    const fields = (await (await call('GET', '/fields')).json()) as { fields: Array<{ title: string }>; meta: { total: string } };
    expect(fields.fields.map((f) => f.title)).toEqual(['Interests', 'Favourite team']);
    const list = (await (await call('POST', '/lists', { list: { name: 'Campaign', sender_url: 'https://x', sender_reminder: 'r' } })).json()) as { list: { id: string } };
    await call('POST', '/contact/sync', { contact: { email: 'l@example.com' } });
    expect((await call('POST', '/contactLists', { contactList: { list: list.list.id, contact: '1', status: 1 } })).status).toBe(201);
    const inList = (await (await call('GET', `/contacts?listid=${list.list.id}`)).json()) as { contacts: Array<{ email: string }> };
    expect(inList.contacts.map((c) => c.email)).toEqual(['l@example.com']);
  });

  it('allows 5 requests per second per account, then answers 429 with Retry-After, shared by every key', async () => {
    const limited = await startActiveCampaign({ apiTokens: ['k1', 'k2'] });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${limited.url}/contacts`, { headers: { 'Api-Token': i % 2 ? 'k1' : 'k2' } });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect(limited.rateLimited()).toBe(3);
      await new Promise((r) => setTimeout(r, 450));
      // Two seconds' worth of tokens refill at 5/s: after ~0.45 s two requests pass again.
      const after = await Promise.all([1, 2].map(() => fetch(`${limited.url}/contacts`, { headers: { 'Api-Token': 'k1' } })));
      expect(after.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await limited.close();
    }
  });

  it('takes fault rules like every emulator', async () => {
    ac.faults.add({ pathPattern: '^/api/3/contact/sync$', status: 503, times: 1 });
    expect((await call('POST', '/contact/sync', { contact: { email: 'f@example.com' } })).status).toBe(503);
    expect((await call('POST', '/contact/sync', { contact: { email: 'f@example.com' } })).status).toBe(201);
  });
});
