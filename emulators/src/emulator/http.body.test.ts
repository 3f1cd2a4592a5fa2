import { parseBody, parseForm } from './http.body';

describe('request bodies', () => {
  it('parses PHP-style form fields as Copernica clients send them', () => {
    expect(parseForm('fields%5Bemail%5D=a%40b.c&fields[firstname]=A+B&interests[]=x&interests[]=y&interests2[golf]=1&plain=1&plain=2')).toEqual({
      fields: { email: 'a@b.c', firstname: 'A B' },
      interests: ['x', 'y'],
      interests2: { golf: '1' },
      plain: '2',
    });
  });

  it('ignores __proto__ keys', () => {
    const parsed = parseForm('__proto__[polluted]=1&a[__proto__][b]=2');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed).toEqual({});
  });

  it('chooses the parser by Content-Type and reports malformed JSON', () => {
    expect(parseBody('{"a":1}', 'application/json; charset=utf-8')).toEqual({ ok: true, body: { a: 1 } });
    expect(parseBody('a=1', 'application/x-www-form-urlencoded')).toEqual({ ok: true, body: { a: '1' } });
    expect(parseBody('{"a":', 'application/json')).toMatchObject({ ok: false, error: expect.stringContaining('malformed JSON') });
    expect(parseBody('', 'application/json')).toEqual({ ok: true, body: undefined });
    expect(parseBody('{"a":1}', undefined)).toEqual({ ok: true, body: { a: 1 } });
    expect(parseBody('a=1', undefined)).toEqual({ ok: true, body: { a: '1' } });
  });
});
