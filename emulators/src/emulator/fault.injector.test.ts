import { faultRuleProblem, FaultRules } from './fault.injector';

describe('FaultRules', () => {
  it('applies a rule the given number of times, then drops it', () => {
    const faults = new FaultRules();
    faults.add({ status: 503, times: 2 });
    expect(faults.active()).toEqual([{ status: 503, times: 2 }]);
    expect(faults.take('GET', '/a')?.status).toBe(503);
    expect(faults.active()).toEqual([{ status: 503, times: 1 }]);
    expect(faults.take('GET', '/a')?.status).toBe(503);
    expect(faults.take('GET', '/a')).toBeUndefined();
    expect(faults.active()).toEqual([]);
  });

  it('matches on method (any case) and on a path regex, first rule first', () => {
    const faults = new FaultRules();
    faults.add({ method: 'put', pathPattern: '^/v3/profile/\\d+$', status: 500 });
    faults.add({ status: 429 });
    expect(faults.take('PUT', '/v3/profile/12')?.status).toBe(500);
    expect(faults.take('GET', '/v3/profile/12')?.status).toBe(429);
    expect(faults.take('PUT', '/v3/profile/12/interests')?.status).toBe(429);
  });

  it('keeps unlimited rules until cleared', () => {
    const faults = new FaultRules();
    faults.add({ latencyMs: 10 });
    for (let i = 0; i < 5; i++) expect(faults.take('GET', '/')).toEqual({ latencyMs: 10 });
    faults.clear();
    expect(faults.take('GET', '/')).toBeUndefined();
  });

  it.each([
    [null, 'a fault rule is a JSON object'],
    [{}, 'a rule needs at least one of status, retryAfterSec, latencyMs, resetConnection'],
    [{ status: 42 }, 'status must be an integer from 100 to 599'],
    [{ status: 500, pathPattern: '(' }, 'pathPattern is not a valid regular expression'],
    [{ status: 500, times: 0 }, 'times must be an integer >= 1'],
    [{ status: 500, colour: 'red' }, 'unknown keys: colour'],
  ])('rejects %j', (rule, problem) => {
    expect(faultRuleProblem(rule)).toBe(problem);
    expect(() => new FaultRules().add(rule as never)).toThrow(problem);
  });
});
