import { startCopernica } from './copernica.server';
import { CopernicaHandle, CopernicaProfile } from './copernica.types';

const TOKEN = 'tok-123';

describe('Copernica emulator over HTTP', () => {
  let cp: CopernicaHandle;

  beforeEach(async () => {
    cp = await startCopernica({
      accessTokens: [TOKEN],
      databases: [
        { id: 7616, name: 'Newsletter', fields: ['email', 'firstname', 'lastname', 'age'], interests: ['baseball'] },
        { id: 2, name: 'Other', fields: ['email'] },
      ],
    });
  });
  afterEach(() => cp.close());

  const call = (method: string, path: string, body?: unknown, query = '') =>
    fetch(`${cp.url}${path}?access_token=${TOKEN}${query}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const find = async (query: string, db = '7616') => (await (await call('GET', `/database/${db}/profiles`, undefined, query)).json()) as {
    start: number;
    limit: number;
    count: number;
    total?: number;
    data: CopernicaProfile[];
  };
  const byEmail = (email: string) => `&fields[]=${encodeURIComponent(`email==${email}`)}`;

  describe('POST /database/{id}/profiles (create)', () => {
    it('answers 201 with an empty body, X-Created and X-location', async () => {
      const res = await call('POST', '/database/7616/profiles', {
        fields: { firstname: 'John', lastname: 'Doe', email: 'johndoe@example.com', unknownField: 'ignored' },
        interests: { Football: 1, Baseball: 0 },
      });
      expect(res.status).toBe(201);
      expect(await res.text()).toBe('');
      const id = res.headers.get('x-created');
      expect(id).toMatch(/^\d+$/);
      expect(res.headers.get('x-location')).toBe(`${cp.url}/profile/${id}`);
      expect(cp.profiles(7616)).toEqual([
        expect.objectContaining({ ID: id, fields: { email: 'johndoe@example.com', firstname: 'John', lastname: 'Doe', age: '' }, interests: ['Football'] }),
      ]);
      expect(cp.requests.at(-1)).toMatchObject({ method: 'POST', status: 201, authKind: 'access_token' });
    });

    it('accepts the database name instead of its id, and form-encoded bodies', async () => {
      const res = await fetch(`${cp.url}/database/Newsletter/profiles?access_token=${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'fields%5Bemail%5D=form%40example.com&fields%5Bage%5D=41&interests%5B%5D=tennis',
      });
      expect(res.status).toBe(201);
      expect(cp.profiles()[0]).toMatchObject({ fields: { email: 'form@example.com', age: '41' }, interests: ['tennis'] });
    });

    it('answers 400 Invalid data provided for a non-object fields or malformed JSON', async () => {
      const res = await call('POST', '/database/7616/profiles', { fields: true });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { message: 'Invalid data provided' } });
      const malformed = await fetch(`${cp.url}/database/7616/profiles?access_token=${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"fields":',
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: { message: 'Invalid data provided' } });
    });
  });

  describe('GET /database/{id}/profiles (find)', () => {
    beforeEach(() => {
      cp.createProfile(7616, { fields: { email: 'test@example.com', firstname: 'Test', age: '30' }, interests: ['baseball'] });
      cp.createProfile(7616, { fields: { email: 'jane@example.com', firstname: 'Jane', age: '9' } });
      cp.createProfile(7616, { fields: { email: 'john@example.org', firstname: 'John', age: '41' } });
      cp.createProfile(2, { fields: { email: 'test@example.com' } });
    });

    it('finds by email with fields[]=email==value, ids and values as strings', async () => {
      const body = await find(byEmail('test@example.com'));
      expect(body).toEqual({
        start: 0,
        limit: 100,
        count: 1,
        total: 1,
        data: [
          {
            ID: expect.stringMatching(/^\d+$/),
            fields: { email: 'test@example.com', firstname: 'Test', lastname: '', age: '30' },
            interests: ['baseball'],
            database: '7616',
            secret: expect.any(String),
            created: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
            modified: expect.any(String),
            removed: false,
          },
        ],
      });
    });

    it('returns count 0 and no data when nothing matches', async () => {
      expect(await find(byEmail('nobody@example.com'))).toEqual({ start: 0, limit: 100, count: 0, total: 0, data: [] });
    });

    it('supports the other operators, ANDed', async () => {
      const emails = async (...statements: string[]) =>
        (await find(statements.map((s) => `&fields[]=${encodeURIComponent(s)}`).join(''))).data.map((p) => p.fields.email);
      expect(await emails('email=~%@example.com')).toEqual(['test@example.com', 'jane@example.com']);
      expect(await emails('email!~%.com')).toEqual(['john@example.org']);
      expect(await emails('age>10', 'email!=john@example.org')).toEqual(['test@example.com']);
      expect(await emails('age<=9')).toEqual(['jane@example.com']);
      expect(await emails('firstname<>Jane', 'age>=30')).toEqual(['test@example.com', 'john@example.org']);
    });

    it('pages with start, limit and total', async () => {
      const page = await find('&start=1&limit=1');
      expect(page).toMatchObject({ start: 1, limit: 1, count: 1, total: 3 });
      expect(page.data[0].fields.email).toBe('jane@example.com');
      expect(await find('&total=false&limit=2')).not.toHaveProperty('total');
    });
  });

  describe('updates', () => {
    let id: string;
    beforeEach(() => {
      id = cp.createProfile(7616, { fields: { email: 'a@example.com' }, interests: ['baseball'] }).ID;
    });

    it('PUT /profile/{id} answers 204 and updates fields and interests', async () => {
      const res = await call('PUT', `/profile/${id}`, { fields: { firstname: 'Ann' }, interests: { football: 1, baseball: 0 } });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      const profile = (await (await call('GET', `/profile/${id}`)).json()) as CopernicaProfile;
      expect(profile).toMatchObject({ ID: id, fields: { email: 'a@example.com', firstname: 'Ann' }, interests: ['football'] });
    });

    it('PUT /profile/{id}/interests overwrites; POST adds', async () => {
      expect((await call('PUT', `/profile/${id}/interests`, ['tennis', 'hockey'])).status).toBe(204);
      expect(cp.profiles()[0].interests).toEqual(['tennis', 'hockey']);
      expect((await call('POST', `/profile/${id}/interests`, ['golf'])).status).toBe(201);
      expect((await call('POST', `/profile/${id}/interests`, { hockey: 0 })).status).toBe(201);
      expect(await (await call('GET', `/profile/${id}/interests`)).json()).toEqual(['tennis', 'golf']);
    });

    it('auto-creates unknown interest names in the database', async () => {
      await call('POST', `/profile/${id}/interests`, { Curling: 1 });
      const list = (await (await call('GET', '/database/7616/interests')).json()) as { data: Array<{ name: string }> };
      expect(list.data.map((i) => i.name)).toEqual(['baseball', 'Curling']);
    });

    it('answers 400 "No entity with supplied ID" for an unknown profile', async () => {
      for (const [method, path] of [['GET', '/profile/999999'], ['PUT', '/profile/999999'], ['GET', '/profile/abc']]) {
        const res = await call(method, path, method === 'PUT' ? { fields: {} } : undefined);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ error: { message: 'No entity with supplied ID' } });
      }
    });

    it('PUT /database/{id}/profiles upserts: 201 + X-Created when none match and create=1, 204 when it updated', async () => {
      const q = byEmail('new@example.com');
      const createdRes = await call('PUT', '/database/7616/profiles', { fields: { email: 'new@example.com', firstname: 'New' } }, q + '&create=1');
      expect(createdRes.status).toBe(201);
      const newId = createdRes.headers.get('x-created');
      const updated = await call('PUT', '/database/7616/profiles', { fields: { firstname: 'Renamed' }, interests: ['x'] }, q + '&create=1');
      expect(updated.status).toBe(204);
      expect(cp.profiles().find((p) => p.ID === newId)).toMatchObject({ fields: { firstname: 'Renamed' }, interests: ['x'] });
      const noCreate = await call('PUT', '/database/7616/profiles', { fields: { firstname: 'X' } }, byEmail('other@example.com'));
      expect(noCreate.status).toBe(204);
      expect(cp.profiles()).toHaveLength(2);
      const missing = await call('PUT', '/database/7616/profiles', { fields: { firstname: 'X' } });
      expect(await missing.json()).toEqual({ error: { message: 'URL parameter fields is required' } });
    });
  });

  describe('errors', () => {
    it('answers 400 "Invalid access token" for a wrong or missing token', async () => {
      for (const url of [`${cp.url}/database/7616/profiles?access_token=wrong`, `${cp.url}/database/7616/profiles`]) {
        const res = await fetch(url);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ error: { message: 'Invalid access token' } });
      }
    });

    it('answers 400 "No database with supplied ID" for an unknown database', async () => {
      const res = await call('GET', '/database/424242/profiles');
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { message: 'No database with supplied ID' } });
    });

    it('answers 400 "Invalid method" for a wrong-case path or a method the path lacks', async () => {
      const id = cp.createProfile(7616, { fields: { email: 'a@example.com' } }).ID;
      for (const [method, path] of [['GET', `/PROFILE/${id}`], ['DELETE', '/database/7616/profiles'], ['GET', `/profile/${id}/bogus`]]) {
        const res = await call(method, path);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ error: { message: 'Invalid method' } });
      }
    });
  });
});
