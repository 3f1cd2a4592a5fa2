/**
 * Gathers calls made close together into one: items queue for at most `delayMs` (or until `max`
 * are waiting), then `run` handles them all in one go (one SQL statement) and each caller gets its
 * own result. Every hot-path write and read of the worker goes through one of these, so the
 * database sees a statement per batch, not per event.
 */
export class Batcher<In, Out> {
  private queue: { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly run: (items: In[]) => Promise<Out[]>, private readonly delayMs = 2, private readonly max = 200) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.max) this.schedule(0);
      else if (!this.timer) this.schedule(this.delayMs);
    });
  }

  /** Runs what is waiting now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    try {
      const outs = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(outs[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }
}
