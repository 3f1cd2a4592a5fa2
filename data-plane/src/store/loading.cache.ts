/**
 * A map of values loaded on demand, with single-flight loading (concurrent misses share one load)
 * and a maximum age as a backstop for a missed invalidation. Misses are cached too (`null`).
 */
export class LoadingCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V | null>; at: number }>();

  constructor(
    private readonly load: (key: K) => Promise<V | null>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): Promise<V | null> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.value;
    const value = this.load(key);
    this.entries.set(key, { value, at: this.now() });
    value.catch(() => this.entries.delete(key)); // a failed load is not cached
    return value;
  }

  set(key: K, value: V): void {
    this.entries.set(key, { value: Promise.resolve(value), at: this.now() });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  deleteWhere(match: (key: K) => boolean): void {
    for (const key of this.entries.keys()) if (match(key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
