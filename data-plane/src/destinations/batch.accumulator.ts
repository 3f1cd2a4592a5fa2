/**
 * Open batches per key (destination, stream, resource type): a batch is handed to `flush` when it
 * reaches its size or when its wait since the first item is over, whichever comes first.
 */
export class BatchAccumulator<T> {
  private readonly open = new Map<string, { items: T[]; timer: NodeJS.Timeout }>();

  constructor(private readonly flush: (key: string, items: T[]) => void) {}

  add(key: string, item: T, maxItems: number, maxWaitMs: number): void {
    let batch = this.open.get(key);
    if (!batch) {
      batch = { items: [], timer: setTimeout(() => this.take(key), maxWaitMs) };
      this.open.set(key, batch);
    }
    batch.items.push(item);
    if (batch.items.length >= maxItems) this.take(key);
  }

  /** Items waiting in open batches. */
  get pending(): number {
    let n = 0;
    for (const b of this.open.values()) n += b.items.length;
    return n;
  }

  /** Hands every open batch over now (shutdown). */
  flushAll(): void {
    for (const key of [...this.open.keys()]) this.take(key);
  }

  private take(key: string): void {
    const batch = this.open.get(key);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.open.delete(key);
    this.flush(key, batch.items);
  }
}
