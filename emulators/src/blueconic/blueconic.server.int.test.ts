import { startBlueConic } from './blueconic.server';
import { BlueConicHandle } from './blueconic.types';

const client = { clientId: 'hub', clientSecret: 's3cret' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

describe('BlueConic emulator over HTTP', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  let bc: BlueConicHandle;

  beforeEach(async () => {
    now = Date.parse('2026-01-01T00:00:00Z');
    bc = await startBlueConic({ clients: [client], accessTokenTtlSec: 60, clock: () => now });
  });
  afterEach(() => bc.close());

  async function token(): Promise<string> {
    const res = await fetch(`${bc.url}/oauth/token`, {
      method: 'POST',
      headers: formHeaders,
      body: form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }
  const get = async (path: string, bearer?: string) => fetch(`${bc.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  describe('POST /oauth/token', () => {
    it('issues a bearer token for client credentials in the form body', async () => {
      const res = await fetch(`${bc.url}/oauth/token`, {
        method: 'POST',
        headers: formHeaders,
        body: form({ grant_type: 'client_credentials', client_id: 'hub', client_secret: 's3cret' }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 60 });
      expect(bc.tokensIssued()).toBe(1);
      expect(bc.requests[0]).toMatchObject({ method: 'POST', path: '/rest/v2/oauth/token', status: 200, authKind: 'client_credentials' });
    });

    it('accepts client credentials in HTTP Basic', async () => {
      const res = await fetch(`${bc.url}/oauth/token`, {
        method: 'POST',
        headers: { ...formHeaders, authorization: 'Basic ' + Buffer.from('hub:s3cret').toString('base64') },
        body: form({ grant_type: 'client_credentials' }),
      });
      expect(res.status).toBe(200);
    });

    it('answers 401 invalid_client for a wrong secret, with the documented body', async () => {
      const res = await fetch(`${bc.url}/oauth/token`, {
        method: 'POST',
        headers: formHeaders,
        body: form({ grant_type: 'client_credentials', client_id: 'hub', client_secret: 'nope' }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
      expect(bc.tokensIssued()).toBe(0);
    });

    it('answers 400 unsupported_grant_type for another grant, with the documented body', async () => {
      const res = await fetch(`${bc.url}/oauth/token`, { method: 'POST', headers: formHeaders, body: form({ grant_type: 'password' }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type' });
    });
  });

  describe('bearer check', () => {
    it('answers 401 without a token, with an unknown token, and once the token expired', async () => {
      bc.upsertProfile({ id: 'p1', properties: { email: ['a@example.com'] } });
      expect((await get('/profiles/p1')).status).toBe(401);
      expect((await get('/profiles/p1', 'made-up')).status).toBe(401);
      const t = await token();
      expect((await get('/profiles/p1', t)).status).toBe(200);
      now += 61_000;
      const expired = await get('/profiles/p1', t);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ code: 401, errors: [{ message: 'Access token expired' }] });
      expect(bc.requests.at(-1)).toMatchObject({ status: 401, authKind: 'bearer' });
    });
  });

  describe('profiles', () => {
    it('returns a profile with property values as arrays of strings and its segments', async () => {
      const stored = bc.upsertProfile({ properties: { email: ['jane@example.com'], interests: ['football', 'tennis'], visits: ['2'] } });
      expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
      const res = await get(`/profiles/${stored.id}`, await token());
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        id: stored.id,
        creationDate: '2026-01-01T00:00:00.000Z',
        consentedObjectives: [],
        refusedObjectives: [],
        permissions: { level: 'PERSONAL' },
        properties: [
          { id: 'email', values: ['jane@example.com'] },
          { id: 'interests', values: ['football', 'tennis'] },
          { id: 'visits', values: ['2'] },
        ],
        segments: [{ id: bc.allVisitorsSegmentId }],
      });
    });

    it('returns only the properties named by profileProperty', async () => {
      bc.upsertProfile({ id: 'p1', properties: { email: ['a@example.com'], interests: ['golf'], visits: ['1'] } });
      const res = await get('/profiles/p1?profileProperty=email&profileProperty=interests', await token());
      const body = (await res.json()) as { properties: unknown[] };
      expect(body.properties).toEqual([
        { id: 'email', values: ['a@example.com'] },
        { id: 'interests', values: ['golf'] },
      ]);
    });

    it('answers 404 for an unknown profile', async () => {
      const res = await get('/profiles/does-not-exist', await token());
      expect(res.status).toBe(404);
    });

    it('searches by property and value', async () => {
      const jane = bc.upsertProfile({ properties: { email: ['jane@example.com'] } });
      bc.upsertProfile({ properties: { email: ['john@example.com'] } });
      const t = await token();
      const res = await get('/profiles?property=email&value=jane%40example.com', t);
      expect(await res.json()).toEqual({ profiles: [{ id: jane.id }], itemsPerPage: 5, startIndex: 0, totalPages: 1, totalResults: 1 });
      const none = await get('/profiles?property=email&value=nobody%40example.com', t);
      expect(await none.json()).toMatchObject({ profiles: [], totalResults: 0 });
      expect((await get('/profiles?property=email', t)).status).toBe(400);
    });

    it('answers 501 when searching a property that is not indexed, if indexed properties are configured', async () => {
      await bc.close();
      bc = await startBlueConic({ clients: [client], indexedProperties: ['email'], clock: () => now });
      const res = await get('/profiles?property=visits&value=1', await token());
      expect(res.status).toBe(501);
    });
  });

  describe('segments', () => {
    it('lists the All Visitors segment with its profile count', async () => {
      bc.upsertProfile({ properties: { email: ['a@example.com'] } });
      const res = await get('/segments', await token());
      expect(await res.json()).toMatchObject({
        itemsPerPage: 10,
        segments: [{ id: bc.allVisitorsSegmentId, name: 'All Visitors', profileCount: 1 }],
        totalResults: 1,
      });
    });

    it('pages through All Visitors with count and cursor; nextCursor on every page but the last', async () => {
      const ids = Array.from({ length: 7 }, (_, i) => bc.upsertProfile({ properties: { email: [`u${i}@example.com`] } }).id);
      const t = await token();
      const seen: string[] = [];
      const pages: Array<{ nextCursor?: string; cursor: string; totalResults: number; itemsPerPage: number }> = [];
      let cursor = '*';
      for (let guard = 0; guard < 10; guard++) {
        const res = await get(`/segments/${bc.allVisitorsSegmentId}/profiles?count=3&cursor=${encodeURIComponent(cursor)}`, t);
        expect(res.status).toBe(200);
        expect(res.headers.get('transfer-encoding')).toBe('chunked');
        const body = (await res.json()) as (typeof pages)[number] & { profiles: Array<{ id: string }> };
        pages.push(body);
        seen.push(...body.profiles.map((p) => p.id));
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      expect(seen).toEqual(ids);
      expect(pages.map((p) => p.nextCursor !== undefined)).toEqual([true, true, false]);
      expect(pages[0]).toMatchObject({ cursor: '*', itemsPerPage: 3, totalResults: 7, totalPages: 3 });
    });

    it('finds the segment by name too, and answers 404 for an unknown segment and 400 for a bad cursor', async () => {
      const t = await token();
      expect((await get('/segments/All%20Visitors/profiles', t)).status).toBe(200);
      expect((await get('/segments/nope/profiles', t)).status).toBe(404);
      expect((await get(`/segments/${bc.allVisitorsSegmentId}/profiles?cursor=garbage`, t)).status).toBe(400);
    });
  });

  describe('PUT /profiles (bulk)', () => {
    const put = async (body: unknown, t: string, raw?: string) =>
      fetch(`${bc.url}/profiles`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: raw ?? JSON.stringify(body),
      });

    it('creates, modifies, leaves unchanged, deletes and reports not found', async () => {
      const t = await token();
      const upsert = {
        matching: [[{ id: 'email', value: 'jane@example.com' }]],
        properties: [
          { id: 'email', values: ['jane@example.com'], strategy: 'SET' },
          { id: 'interests', values: ['football'], strategy: 'ADD' },
        ],
        strategy: 'UPSERT',
      };
      const first = (await (await put([upsert], t)).json()) as Array<{ state: string; profileId: string }>;
      expect(first).toEqual([{ state: 'CREATED', profileId: expect.any(String) }]);
      const id = first[0].profileId;
      expect(await (await put([upsert], t)).json()).toEqual([{ state: 'UNCHANGED', profileId: id }]);
      const addTennis = { profileId: id, properties: [{ id: 'interests', values: ['tennis'], strategy: 'ADD' }] };
      expect(await (await put([addTennis], t)).json()).toEqual([{ state: 'MODIFIED', profileId: id }]);
      expect(bc.getProfile(id)?.properties.interests).toEqual(['football', 'tennis']);
      expect(await (await put([{ profileId: id, strategy: 'DELETE' }, { profileId: 'gone', strategy: 'UPDATE' }], t)).json()).toEqual([
        { state: 'DELETED', profileId: id },
        { state: 'NOTFOUND', profileId: 'gone' },
      ]);
      expect(bc.getProfile(id)).toBeUndefined();
    });

    it('answers 413 over 1000 entries, having processed the first 1000', async () => {
      const entries = Array.from({ length: 1001 }, (_, i) => ({ properties: [{ id: 'n', values: [String(i)] }], strategy: 'UPSERT' }));
      const res = await put(entries, await token());
      expect(res.status).toBe(413);
      expect((await res.json()) as unknown[]).toHaveLength(1000);
      expect((await (await get('/segments', await token())).json()) as object).toMatchObject({ segments: [{ profileCount: 1000 }] });
    });

    it('answers 400 with the vendor error shape for malformed JSON or a non-array body', async () => {
      const t = await token();
      const malformed = await put(undefined, t, '[{"strategy":');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ code: 400, message: expect.any(String), errors: [{ message: expect.stringContaining('malformed JSON') }] });
      expect((await put({ not: 'an array' }, t)).status).toBe(400);
    });
  });

  it('reset() restores the seeded profiles, forgets tokens and clears requests', async () => {
    await bc.close();
    bc = await startBlueConic({ clients: [client], profiles: [{ id: 'seed', properties: { email: ['s@example.com'] } }] });
    const t = await token();
    bc.upsertProfile({ properties: { email: ['extra@example.com'] } });
    bc.reset();
    expect(bc.requests).toHaveLength(0);
    expect(bc.tokensIssued()).toBe(0);
    expect(bc.getProfile('seed')).toBeDefined();
    expect((await get('/profiles/seed', t)).status).toBe(401);
  });
});
