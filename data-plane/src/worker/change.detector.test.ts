import { canonicalHash, canonicalJson } from '@datahub/connectors';
import { changeVerdict } from './change.detector';

describe('change detection', () => {
  it('hashes equal payloads equally whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalHash({ fields: { email: 'a@x', name: 'A' } })).toBe(canonicalHash({ fields: { name: 'A', email: 'a@x' } }));
    expect(canonicalHash({ fields: { email: 'a@x' } })).not.toBe(canonicalHash({ fields: { email: 'b@x' } }));
  });

  const last = { hash: canonicalHash({ a: 1 }), syncVersion: 2, receivedAtMs: 1_000 };

  it('sends the first payload of an entity', () => {
    expect(changeVerdict(null, canonicalHash({ a: 1 }), 2, null)).toEqual({ send: true });
  });

  it('skips a payload equal to the last one delivered', () => {
    expect(changeVerdict(last, canonicalHash({ a: 1 }), 2, null)).toMatchObject({ send: false, outcome: 'unchanged' });
  });

  it('sends a changed payload, and an equal one after a new sync version', () => {
    expect(changeVerdict(last, canonicalHash({ a: 2 }), 2, null)).toEqual({ send: true });
    expect(changeVerdict(last, canonicalHash({ a: 1 }), 3, null)).toEqual({ send: true });
  });

  it('never lets an older pushed record overwrite a newer one', () => {
    expect(changeVerdict(last, canonicalHash({ a: 9 }), 2, 999)).toMatchObject({ send: false, outcome: 'superseded' });
    expect(changeVerdict(last, canonicalHash({ a: 9 }), 2, 1_001)).toEqual({ send: true });
  });
});
