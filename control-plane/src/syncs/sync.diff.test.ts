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
});
