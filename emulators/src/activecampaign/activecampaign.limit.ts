// The account's request limit: 5 requests per second shared by every key [AC-RL]. How AC counts is
// not documented; the emulator uses a token bucket holding one second's worth (the lenient reading),
// so a client that paces itself at the limit is never refused and one that bursts past it is.

export class AccountRateLimit {
  private tokens: number;
  private refilledAtMs: number;
  refused = 0;

  constructor(private perSec: number, private readonly clock: () => number) {
    this.tokens = perSec;
    this.refilledAtMs = clock();
  }

  set(perSec: number): void {
    this.perSec = perSec;
    this.tokens = Math.min(this.tokens, perSec);
  }

  get limit(): number {
    return this.perSec;
  }

  /** 0 when the request may go; else the seconds until it may (the Retry-After). */
  take(): number {
    const now = this.clock();
    this.tokens = Math.min(this.perSec, this.tokens + ((now - this.refilledAtMs) / 1000) * this.perSec);
    this.refilledAtMs = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    this.refused++;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSec));
  }

  remaining(): number {
    return Math.floor(this.tokens);
  }

  reset(): void {
    this.tokens = this.perSec;
    this.refilledAtMs = this.clock();
    this.refused = 0;
  }
}
