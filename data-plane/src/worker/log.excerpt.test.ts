import { excerptJson, excerptText, sensitiveKeys } from './log.excerpt';

describe('delivery log excerpts', () => {
  const plain = sensitiveKeys([]);

  it('writes small values as plain JSON', () => {
    const v = { id: 'p1', n: 3, ok: true, list: [1, 'two', null], nested: { a: { b: 'c' } } };
    expect(excerptJson(v, 1_000, plain)).toBe(JSON.stringify(v));
  });

  it('stops writing at the limit, so a huge body costs no more than the excerpt', () => {
    let read = 0;
    const huge = { items: Array.from({ length: 100_000 }, (_, i) => ({ i, get text() { read++; return 'x'.repeat(50); } })) };
    const out = excerptJson(huge, 200, plain)!;
    expect(read).toBeLessThan(5);
    expect(out).toHaveLength(201);
    expect(out.endsWith('…')).toBe(true);
    expect(out.startsWith('{"items":[{"i":0,"text":"xxx')).toBe(true);
  });

  it('redacts secret-looking keys and the configured sensitive fields, at any depth', () => {
    const keys = sensitiveKeys(['Email']);
    const out = excerptJson({ email: ['ann@example.com'], profile: { password: 'hunter2', apiKey: 'k-123', name: 'Ann' }, tags: ['a'] }, 1_000, keys)!;
    expect(out).not.toMatch(/ann@example|hunter2|k-123/);
    expect(JSON.parse(out)).toEqual({ email: '[redacted]', profile: { password: '[redacted]', apiKey: '[redacted]', name: 'Ann' }, tags: ['a'] });
  });

  it('redacts the values of name/value pairs named like a sensitive field (BlueConic properties)', () => {
    const record = { id: 'p1', properties: [{ id: 'email', values: ['ann@example.com'] }, { id: 'interests', values: ['golf'] }] };
    expect(JSON.parse(excerptJson(record, 1_000, sensitiveKeys(['email']))!)).toEqual({
      id: 'p1', properties: [{ id: 'email', values: '[redacted]' }, { id: 'interests', values: ['golf'] }],
    });
  });

  it('cuts response text and hides token and password pairs in it', () => {
    expect(excerptText('{"error":"invalid","access_token":"abc.def","password": "p"}', 500)).toBe('{"error":"invalid","access_token":"[redacted]","password": "[redacted]"}');
    expect(excerptText('client_secret=s3cr3t&x=1', 500)).toBe('client_secret=[redacted]&x=1');
    expect(excerptText('a'.repeat(10), 4)).toBe('aaaa…');
    expect(excerptText(null, 4)).toBeNull();
  });
});
