import { compileEventSchema, EVENT_TYPE_NAME, validateEvent } from './event.schema';

const contractSigned = {
  type: 'object',
  required: ['contract_id', 'amount'],
  additionalProperties: false,
  properties: {
    contract_id: { type: 'string', minLength: 1 },
    amount: { type: 'object', required: ['value', 'currency'], properties: { value: { type: 'number', minimum: 0 }, currency: { type: 'string', enum: ['EUR', 'USD'] } } },
    league_id: { type: 'string' },
  },
};

describe('business event schemas', () => {
  const compiled = compileEventSchema(contractSigned);
  const validate = compiled.ok ? compiled.validate : (() => { throw new Error('schema should compile'); })();

  it('accepts a payload that matches', () => {
    expect(validateEvent(validate, { contract_id: 'c1', amount: { value: 10, currency: 'EUR' } })).toBeNull();
  });

  it('points at the failing field with a JSON pointer', () => {
    expect(validateEvent(validate, { contract_id: 'c1', amount: { value: -1, currency: 'EUR' } })).toEqual({ pointer: '/amount/value', message: 'must be >= 0' });
    expect(validateEvent(validate, { contract_id: 'c1', amount: { value: 1 } })?.pointer).toBe('/amount/currency');
    expect(validateEvent(validate, { contract_id: 'c1', amount: { value: 1, currency: 'EUR' }, 'a/b': 1 })?.pointer).toBe('/a~1b');
    expect(validateEvent(validate, 'nope')?.pointer).toBe('');
  });

  it('refuses a schema that does not compile, with the reason', () => {
    expect(compileEventSchema({ type: 'objekt' })).toMatchObject({ ok: false, message: expect.stringContaining('type') });
    expect(compileEventSchema({ type: 'object', propertiez: {} })).toMatchObject({ ok: false });
    expect(compileEventSchema([])).toMatchObject({ ok: false });
    // Valid JSON Schema without "properties" is accepted.
    expect(compileEventSchema({ type: 'object', required: ['id'] })).toMatchObject({ ok: true });
  });

  it('names event types like the integration spec', () => {
    for (const t of ['partnership.created', 'contract.signed', 'league.onboarded', 'payment.received']) expect(EVENT_TYPE_NAME.test(t)).toBe(true);
    expect(EVENT_TYPE_NAME.test('Contract Signed')).toBe(false);
  });
});
