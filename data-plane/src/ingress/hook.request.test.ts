import { HookRefusal, notifiedId, parseBody, pushedRecord } from './hook.request';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as HookRefusal;
  }
  throw new Error('expected a refusal');
};

describe('webhook request parsing', () => {
  it('takes a notify id from the query first, then a JSON or form body', () => {
    expect(notifiedId(new URLSearchParams('id=p1'), { kind: 'none' }, 'id')).toBe('p1');
    expect(notifiedId(new URLSearchParams(''), { kind: 'json', value: { profileId: 42 } }, 'profileId')).toBe('42');
    expect(notifiedId(new URLSearchParams(''), { kind: 'form', value: { id: 'f1' } }, 'id')).toBe('f1');
  });

  it('says how to pass the id when it is missing', () => {
    const r = refusal(() => notifiedId(new URLSearchParams(''), { kind: 'json', value: {} }, 'id'));
    expect([r.status, r.code]).toEqual([400, 'missing_id']);
    expect(r.message).toContain('?id=<id>');
  });

  it('refuses malformed JSON with 400 and unknown content types with 415', () => {
    expect(refusal(() => parseBody(Buffer.from('{nope'), 'application/json')).status).toBe(400);
    expect(refusal(() => parseBody(Buffer.from('<xml/>'), 'application/xml')).status).toBe(415);
    expect(parseBody(Buffer.alloc(0), undefined)).toEqual({ kind: 'none' });
  });

  it('needs a JSON object for a pushed record', () => {
    expect(refusal(() => pushedRecord({ kind: 'json', value: [1, 2] })).code).toBe('missing_record');
    expect(JSON.parse(pushedRecord({ kind: 'json', value: { email: 'a@b.c' } }).toString())).toEqual({ email: 'a@b.c' });
    // Engagement webhooks come form-encoded; the fields keep their names.
    expect(JSON.parse(pushedRecord({ kind: 'form', value: { type: 'open', 'contact[email]': 'a@b.c' } }).toString())).toEqual({ type: 'open', 'contact[email]': 'a@b.c' });
    expect(refusal(() => pushedRecord({ kind: 'form', value: {} })).code).toBe('missing_record');
  });
});
