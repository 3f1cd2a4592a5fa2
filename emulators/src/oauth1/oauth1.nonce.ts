// Nonce memory for RFC 5849 §3.3: a nonce must be unique per timestamp + client + token. Entries
// older than the timestamp window are forgotten, because such requests fail as stale anyway.

const PRUNE_EVERY = 256;

export class NonceCache {
  private readonly seen = new Map<string, number>();
  private claims = 0;

  /**
   * Records a nonce and says whether it was fresh. `key` is (consumer, token, timestamp, nonce);
   * `oldestSec` is the oldest timestamp still inside the window.
   */
  claim(key: readonly string[], timestampSec: number, oldestSec: number): boolean {
    if (++this.claims % PRUNE_EVERY === 0) this.prune(oldestSec);
    const id = JSON.stringify(key);
    if (this.seen.has(id)) return false;
    this.seen.set(id, timestampSec);
    return true;
  }

  prune(oldestSec: number): void {
    for (const [id, ts] of this.seen) if (ts < oldestSec) this.seen.delete(id);
  }

  clear(): void {
    this.seen.clear();
  }

  get size(): number {
    return this.seen.size;
  }
}
