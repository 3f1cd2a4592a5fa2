import type { Dispatcher } from 'undici';

/**
 * The instances behind one route (several ingress or control-plane processes): round robin over
 * those that are up, each probed on its readiness path, and marked down at once when a connection
 * to it fails, so a process that is draining or gone stops getting requests.
 */
export interface UpstreamOptions {
  /** GET this path on each instance; 200 means it takes traffic (the ingress's /readyz goes 503 while draining). */
  probePath: string;
  probeIntervalMs: number;
  probeTimeoutMs: number;
}

interface Instance {
  origin: string;
  up: boolean;
}

/** Errors after which the request never reached the instance: always safe to send it to the next one. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** The connection broke under the request (e.g. an instance closing its idle keep-alive sockets as it stops). */
const CUT = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

export function errorCode(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.code ?? '';
}

/** May a request that failed with `err` be sent to the next instance? A cut one only when the route allows it. */
export function mayFailOver(err: unknown, retryCut: boolean): boolean {
  const code = errorCode(err);
  return NOT_CONNECTED.has(code) || (retryCut && CUT.has(code));
}

export class UpstreamPool {
  private readonly instances: Instance[];
  private next = 0;
  private timer?: NodeJS.Timeout;

  constructor(origins: readonly string[], private readonly dispatcher: Dispatcher, private readonly o: UpstreamOptions) {
    this.instances = origins.map((origin) => ({ origin: new URL(origin).origin, up: true }));
  }

  /** Starts probing; the first round completes before this resolves. */
  async start(): Promise<void> {
    await this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.o.probeIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Instances to try for one request, in order: the up ones from the round-robin position, then the down ones (a last resort). */
  order(): string[] {
    const n = this.instances.length;
    const start = this.next++ % n;
    const rotated = [...this.instances.slice(start), ...this.instances.slice(0, start)];
    return [...rotated.filter((i) => i.up), ...rotated.filter((i) => !i.up)].map((i) => i.origin);
  }

  /** A connection to it failed: no more requests until a probe says it is back. */
  markDown(origin: string): void {
    const i = this.instances.find((x) => x.origin === origin);
    if (i) i.up = false;
  }

  /** How many instances take traffic now (for the gateway's own readiness). */
  upCount(): number {
    return this.instances.filter((i) => i.up).length;
  }

  private async probeAll(): Promise<void> {
    await Promise.all(this.instances.map(async (i) => {
      try {
        const res = await this.dispatcher.request({
          origin: i.origin, path: this.o.probePath, method: 'GET',
          headersTimeout: this.o.probeTimeoutMs, bodyTimeout: this.o.probeTimeoutMs,
        });
        await res.body.dump();
        i.up = res.statusCode === 200;
      } catch {
        i.up = false;
      }
    }));
  }
}
