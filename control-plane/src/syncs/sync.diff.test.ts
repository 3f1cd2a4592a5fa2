import { diffJson } from './sync.diff';

describe('diffJson', () => {
  it('lists the leaves that changed, were added or removed, by path', () => {
    const a = { mapping: 'x', target: { baseUrl: 'https://a', params: { databaseId: '1' } }, filter: null };
    const b = { mapping: 'y', target: { baseUrl: 'https://a', params: { databaseId: '2', matchField: 'email' } }, filter: null };
    expect(diffJson(a, b)).toEqual([
      { path: 'mapping', before: 'x', after: 'y' },
      { path: 'target.params.databaseId', before: '1', after: '2' },
      { path: 'target.params.matchField', before: null, after: 'email' },
    ]);
    expect(diffJson(a, a)).toEqual([]);
  });

  it('shows a delivery policy change per field, a retry schedule as a whole, and none for a definition stored before policies', () => {
    const before = { mapping: 'x', delivery: { retryScheduleSec: [30, 60], timeoutMs: null, rateLimitPerSec: 2 } };
    const after = { mapping: 'x', delivery: { retryScheduleSec: [30, 90], timeoutMs: 5000, rateLimitPerSec: 2 } };
    expect(diffJson(before, after)).toEqual([
      { path: 'delivery.retryScheduleSec', before: [30, 60], after: [30, 90] },
      { path: 'delivery.timeoutMs', before: null, after: 5000 },
    ]);
    expect(diffJson({ mapping: 'x' }, { mapping: 'x', delivery: null })).toEqual([]);
  });
});
