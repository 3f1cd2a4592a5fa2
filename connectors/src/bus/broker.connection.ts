import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { coalesceWrites } from './write.coalesce';

/** Where the connection reports what happens to it (a pino logger fits). */
export interface BusLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class BrokerUnavailable extends Error {
  constructor() {
    super('the message broker is unreachable');
  }
}

/**
 * One AMQP connection with a confirm channel that comes back by itself: after a broker outage it
 * reconnects with growing delays (100 ms … 5 s) and runs `onChannel` again (declare topology,
 * start consumers). Callers that need the channel while it is down get BrokerUnavailable. The one
 * way every hub process (ingress, worker, control plane) talks to RabbitMQ.
 */
export class BrokerConnection {
  private conn: ChannelModel | null = null;
  private ch: ConfirmChannel | null = null;
  private closed = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | null = null;
  /** RabbitMQ raised a memory or disk alarm: publishes would hang until it clears. */
  private blockedReason: string | null = null;

  constructor(
    private readonly url: string,
    private readonly onChannel: (ch: ConfirmChannel) => Promise<void>,
    private readonly name: string,
    private readonly log: BusLog,
  ) {}

  /** Resolves once connected the first time (rejects if the first connect fails). */
  async start(): Promise<void> {
    await this.connect();
  }

  private starting: Promise<void> | null = null;

  /**
   * Connects on first use, for a process that may run without a broker (the control plane only
   * announces changes): connected already, or one connect attempt shared by concurrent callers.
   */
  async ensure(): Promise<void> {
    if (this.ch || this.timer || this.closed) return;
    this.starting ??= this.connect().finally(() => (this.starting = null));
    await this.starting;
  }

  get channel(): ConfirmChannel {
    if (!this.ch) throw new BrokerUnavailable();
    return this.ch;
  }

  get connected(): boolean {
    return this.ch !== null;
  }

  /** Connected and not blocked by a broker alarm: what readiness reports. */
  get ready(): boolean {
    return this.ch !== null && this.blockedReason === null;
  }

  get blocked(): string | null {
    return this.blockedReason;
  }

  private async connect(): Promise<void> {
    const conn = await amqp.connect(this.url, { clientProperties: { connection_name: this.name } });
    if (!coalesceWrites(conn)) this.log.warn({ broker: this.name }, 'amqplib changed shape: frames are written one by one');
    conn.on('error', (err) => this.log.warn({ err: String(err), broker: this.name }, 'broker connection error'));
    conn.on('close', () => this.lost());
    conn.on('blocked', (reason: string) => {
      this.blockedReason = reason || 'blocked';
      this.log.warn({ broker: this.name, reason }, 'broker blocked publishing (resource alarm); not ready');
    });
    conn.on('unblocked', () => {
      this.blockedReason = null;
      this.log.info({ broker: this.name }, 'broker unblocked');
    });
    const ch = await conn.createConfirmChannel();
    ch.on('error', (err) => this.log.warn({ err: String(err), broker: this.name }, 'broker channel error'));
    ch.on('close', () => {
      if (this.ch === ch) this.ch = null;
      if (!this.closed && this.conn === conn) conn.close().catch(() => undefined);
    });
    await this.onChannel(ch);
    this.conn = conn;
    this.ch = ch;
    this.retryMs = 100;
    this.log.info({ broker: this.name }, 'broker connected');
  }

  private lost(): void {
    this.conn = null;
    this.ch = null;
    this.blockedReason = null;
    if (this.closed || this.timer) return;
    this.log.warn({ broker: this.name, retryMs: this.retryMs }, 'broker connection lost; reconnecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().catch(() => {
        this.retryMs = Math.min(this.retryMs * 2, 5_000);
        this.lost();
      });
    }, this.retryMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const conn = this.conn;
    this.conn = null;
    this.ch = null;
    await conn?.close().catch(() => undefined);
  }
}
