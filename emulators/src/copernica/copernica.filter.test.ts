import { matchesAll, parseFieldConditions, sortProfiles } from './copernica.filter';
import type { Database, StoredProfile } from './copernica.store';

const db: Database = { id: 1, name: 'db', fields: ['Email', 'age', 'modified'], interests: [] };
const profile = (id: number, fields: Record<string, string>): StoredProfile => ({
  id,
  databaseId: 1,
  fields: { Email: '', age: '', modified: '', ...fields },
  interests: [],
  secret: `s${id}`,
  created: '2026-01-01 00:00:00',
  modified: `2026-01-0${id} 00:00:00`,
});

describe('Copernica fields[] conditions', () => {
  it('parses name, operator and value; field names match case-insensitively', () => {
    expect(parseFieldConditions(['email==a==b', ' age>=18 ', 'age<>3'], db)).toEqual([
      { field: 'Email', special: false, op: '==', value: 'a==b' },
      { field: 'age', special: false, op: '>=', value: '18' },
      { field: 'age', special: false, op: '!=', value: '3' },
    ]);
  });

  it('ignores unknown fields and statements without a known operator, as the live API does', () => {
    expect(parseFieldConditions(['nope==1', 'email=x', 'email', ''], db)).toEqual([]);
  });

  it('knows the special fields id and code, but a real field named like one wins', () => {
    expect(parseFieldConditions(['id==7', 'CODE==s7', 'modified==x'], db)).toEqual([
      { field: 'id', special: true, op: '==', value: '7' },
      { field: 'code', special: true, op: '==', value: 's7' },
      { field: 'modified', special: false, op: '==', value: 'x' },
    ]);
  });

  it('compares text case-insensitively, numbers numerically, and LIKE with % and _', () => {
    const p = profile(7, { Email: 'Jane@Example.com', age: '9' });
    const ok = (...s: string[]) => matchesAll(p, parseFieldConditions(s, db));
    expect(ok('email==jane@example.com')).toBe(true);
    expect(ok('age<10', 'age>8.5')).toBe(true);
    expect(ok('age>10')).toBe(false);
    expect(ok('email=~%@example.___')).toBe(true);
    expect(ok('email=~jane')).toBe(false);
    expect(ok('email!~%.org')).toBe(true);
    expect(ok('id==7', 'code==s7')).toBe(true);
  });

  it('orders by id by default, or by a field descending', () => {
    const list = [profile(2, { age: '5' }), profile(1, { age: '30' }), profile(3, { age: '7' })];
    expect(sortProfiles(list, db, null, null).map((p) => p.id)).toEqual([1, 2, 3]);
    expect(sortProfiles(list, db, 'AGE', 'desc').map((p) => p.id)).toEqual([1, 3, 2]);
    expect(sortProfiles(list, db, 'random', null).map((p) => p.id)).toEqual([1, 2, 3]);
  });
});
