import { Exchanges } from '@datahub/proto';
import amqp, { type ChannelModel, type ConfirmChannel, type Message, type Options } from 'amqplib';
import { randomUUID } from 'node:crypto';

/** The broker confirmed a mandatory message but no queue was bound to take it. */
export class MessageNotRouted extends Error {
  constructor(exchange: string, routingKey: string) {
    super(`no queue is bound to ${exchange}/${routingKey}`);
  }
}

/**
 * The control plane's one AMQP connection: a confirm channel opened on first use and reopened
 * after the broker went away. ConfigChanged announcements and dead-letter replays share it.
 */
export class AmqpChannel {
  private conn: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private connecting: Promise<ConfirmChannel> | null = null;
  private readonly returned = new Set<string>();

  constructor(private readonly url: string, private readonly log: (msg: string, err?: unknown) => void, private readonly confirmTimeoutMs = 5_000) {}

  private async open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.connecting ??= (async () => {
      const conn = await amqp.connect(this.url);
      conn.on('error', (e) => this.log('control-plane AMQP connection error', e));
      conn.on('close', () => { this.conn = null; this.channel = null; });
      const ch = await conn.createConfirmChannel();
      ch.on('error', (e) => this.log('control-plane AMQP channel error', e));
      ch.on('close', () => { if (this.channel === ch) this.channel = null; });
      // Mandatory messages nobody takes come back before their confirm; matched by message id.
      ch.on('return', (msg: Message) => { if (msg.properties.messageId) this.returned.add(String(msg.properties.messageId)); });
      await ch.assertExchange(Exchanges.config, 'fanout', { durable: true });
      this.conn = conn;
      this.channel = ch;
      return ch;
    })().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  /**
   * Resolves once the broker confirmed the message (and, when `mandatory`, routed it to a queue);
   * rejects on a nack, a return, a closed channel or no confirm within the timeout.
   */
  async publish(exchange: string, routingKey: string, body: Buffer, options: Options.Publish = {}): Promise<void> {
    const ch = await this.open();
    const messageId = options.messageId ?? randomUUID();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no broker confirm within ${this.confirmTimeoutMs} ms`)), this.confirmTimeoutMs);
        const onClose = () => { clearTimeout(timer); reject(new Error('the AMQP channel closed before the broker confirmed')); };
        ch.once('close', onClose);
        ch.publish(exchange, routingKey, body, { ...options, messageId }, (err) => {
          clearTimeout(timer);
          ch.removeListener('close', onClose);
          if (err) reject(new Error('the broker refused the message'));
          else if (this.returned.has(messageId)) reject(new MessageNotRouted(exchange, routingKey));
          else resolve();
        });
      });
    } catch (e) {
      if (!(e instanceof MessageNotRouted)) this.channel = null;
      throw e;
    } finally {
      this.returned.delete(messageId);
    }
  }

  async close(): Promise<void> {
    await this.conn?.close().catch(() => undefined);
    this.conn = null;
    this.channel = null;
  }
}
