import { fromAnyGlobalId, fromGlobalId, toGlobalId } from './global-id';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'none';
  } catch (e) {
    return (e as { code?: string; details?: unknown }).code + ' ' + JSON.stringify((e as { details?: unknown }).details);
  }
};

describe('global ids', () => {
  const sync = toGlobalId('Sync', '0b5e7c1e-6f4a-4d7b-9a58-2a1f3c9d8e70');

  it('reads a global id of any type back to its type and raw id', () => {
    expect(fromAnyGlobalId(sync, 'targetId')).toEqual({ type: 'Sync', id: '0b5e7c1e-6f4a-4d7b-9a58-2a1f3c9d8e70' });
    expect(fromAnyGlobalId(toGlobalId('DeliveryAttempt', '42'), 'targetId')).toEqual({ type: 'DeliveryAttempt', id: '42' });
  });

  it.each([
    ['garbage', 'not-an-id'],
    ['an empty string', ''],
    ['an unknown type', Buffer.from('Nope:0b5e7c1e-6f4a-4d7b-9a58-2a1f3c9d8e70').toString('base64url')],
    ['a NUL byte', toGlobalId('Sync', '\u0000')],
    ['a NUL byte in a target key', toGlobalId('Target', 'api.example.com#\u0000')],
  ])('refuses %s as BAD_USER_INPUT on the field', (_, id) => {
    expect(codeOf(() => fromAnyGlobalId(id, 'targetId'))).toBe('BAD_USER_INPUT {"field":"targetId"}');
  });

  it('answers NOT_FOUND for a NUL byte behind the expected type', () => {
    expect(codeOf(() => fromGlobalId('Sync', toGlobalId('Sync', 'a\u0000'), 'id'))).toBe('NOT_FOUND {}');
  });
});
