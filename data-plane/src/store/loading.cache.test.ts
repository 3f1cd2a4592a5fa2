import { LoadingCache } from './loading.cache';

describe('LoadingCache', () => {
  it('loads once for concurrent misses and serves hits from memory', async () => {
    let loads = 0;
    const cache = new LoadingCache(async (k: string) => (loads++, k.toUpperCase()), 1000);
    const [a, b] = await Promise.all([cache.get('x'), cache.get('x')]);
    expect([a, b, await cache.get('x')]).toEqual(['X', 'X', 'X']);
    expect(loads).toBe(1);
  });

  it('reloads after delete and after the maximum age', async () => {
    let t = 0;
    let loads = 0;
    const cache = new LoadingCache(async () => ++loads, 100, () => t);
    await cache.get('k');
    cache.delete('k');
    await cache.get('k');
    t = 150;
    expect(await cache.get('k')).toBe(3);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const cache = new LoadingCache(async () => { if (fail) throw new Error('db down'); return 1; }, 1000);
    await expect(cache.get('k')).rejects.toThrow('db down');
    fail = false;
    expect(await cache.get('k')).toBe(1);
  });
});
