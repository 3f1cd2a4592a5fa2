import { ConfigChangeKind, ConfigChangedSchema, ContentTypes, create, Exchanges, toBinary, type ConfigChanged } from '@datahub/proto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';

export interface ConfigChange {
  kind: ConfigChangeKind;
  tenantId?: string;
  syncId?: string;
  keyPrefix?: string;
  credentialId?: string;
}

/** Announces configuration changes on the hub.config fanout so every data-plane process drops its caches. */
export interface ConfigBus {
  publish(change: ConfigChange): Promise<void>;
  close(): Promise<void>;
}

export class AmqpConfigBus implements ConfigBus {
  private conn: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private connecting: Promise<ConfirmChannel> | null = null;

  constructor(private readonly url: string, private readonly log: (msg: string, err?: unknown) => void) {}

  private async open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.connecting ??= (async () => {
      const conn = await amqp.connect(this.url);
      conn.on('error', (e) => this.log('config bus connection error', e));
      conn.on('close', () => { this.conn = null; this.channel = null; });
      const ch = await conn.createConfirmChannel();
      await ch.assertExchange(Exchanges.config, 'fanout', { durable: true });
      this.conn = conn;
      this.channel = ch;
      return ch;
    })().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  /**
   * Publishes with a broker confirm; tries twice. A failure is logged, not thrown: the change is
   * already committed, and data-plane caches also expire on their own (see their maxAgeMs).
   */
  async publish(change: ConfigChange): Promise<void> {
    const message: ConfigChanged = create(ConfigChangedSchema, { ...change, atMs: BigInt(Date.now()) });
    const body = Buffer.from(toBinary(ConfigChangedSchema, message));
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const ch = await this.open();
        ch.publish(Exchanges.config, '', body, { contentType: ContentTypes.configChanged, persistent: false });
        await ch.waitForConfirms();
        return;
      } catch (e) {
        this.channel = null;
        if (attempt === 2) this.log('could not publish ConfigChanged', e);
      }
    }
  }

  async close(): Promise<void> {
    await this.conn?.close().catch(() => undefined);
    this.conn = null;
    this.channel = null;
  }
}
