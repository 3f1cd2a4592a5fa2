import type { ConfirmChannel, Message, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { BrokerUnavailable, type BrokerConnection } from './broker.connection';

export class MessageNotRouted extends Error {
  constructor(exchange: string, routingKey: string) {
    super(`the broker accepted a message for ${exchange || '(default)'}/${routingKey} but no queue is bound to receive it`);
  }
}

/**
 * The one way anything is published: mandatory, persistent, and resolved only when the broker
 * confirmed it AND routed it to a queue (it returns an unroutable message before acking it).
 * Waiting is bounded: no confirm within `timeoutMs`, or a broker blocked by an alarm, is
 * BrokerUnavailable, so a caller answers 503 or keeps its message instead of hanging.
 */
export class ConfirmedPublisher {
  private readonly returned = new Set<string>();
  private watched: ConfirmChannel | null = null;

  constructor(private readonly broker: BrokerConnection, private readonly timeoutMs: number, private readonly connectOnDemand = false) {}

  /** Mandatory unless `options.mandatory` is false (an announcement nobody may be bound to hear). */
  async publish(exchange: string, routingKey: string, body: Buffer, options: Options.Publish = {}): Promise<void> {
    if (this.connectOnDemand) await this.broker.ensure().catch(() => undefined);
    if (this.broker.blocked) return Promise.reject(new BrokerUnavailable());
    let ch: ConfirmChannel;
    try {
      ch = this.broker.channel;
    } catch (e) {
      return Promise.reject(e);
    }
    this.watchReturns(ch);
    // Returns are matched by message id: an event's id, unique among publishes in flight.
    const publishId = options.messageId ?? randomUUID();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.returned.delete(publishId);
        reject(new BrokerUnavailable());
      }, this.timeoutMs);
      try {
        ch.publish(exchange, routingKey, body, { persistent: true, mandatory: true, ...options, messageId: publishId }, (err) => {
          clearTimeout(timer);
          const wasReturned = this.returned.delete(publishId);
          if (err) reject(new BrokerUnavailable());
          else if (wasReturned) reject(new MessageNotRouted(exchange, routingKey));
          else resolve();
        });
      } catch {
        clearTimeout(timer);
        reject(new BrokerUnavailable());
      }
    });
  }

  /** To a queue by name through the default exchange (retry buckets, hub.poison). */
  sendToQueue(queue: string, body: Buffer, options: Options.Publish = {}): Promise<void> {
    return this.publish('', queue, body, options);
  }

  private watchReturns(ch: ConfirmChannel): void {
    if (this.watched === ch) return;
    this.watched = ch;
    ch.on('return', (msg: Message) => {
      const id = msg.properties.messageId;
      if (id) this.returned.add(String(id));
    });
  }
}
