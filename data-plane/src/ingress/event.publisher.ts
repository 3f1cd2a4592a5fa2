import { ContentTypes, Exchanges, Headers, HubEventSchema, RoutingKeys, toBinary, type HubEvent } from '@datahub/proto';
import type { ConfirmChannel, Message } from 'amqplib';
import { BrokerUnavailable, type BrokerConnection } from '../bus/broker.connection';

export class EventNotRouted extends Error {
  constructor() {
    super('the broker accepted the event but no queue is bound to receive it');
  }
}

/**
 * Publishes an event and resolves only when the broker confirmed it AND routed it to a queue
 * (mandatory publish: the broker returns an unroutable message before it acks it).
 */
export class EventPublisher {
  private readonly returned = new Set<string>();
  private watched: ConfirmChannel | null = null;

  constructor(private readonly broker: BrokerConnection) {}

  async publish(event: HubEvent, headers: Record<string, string>): Promise<void> {
    const ch = this.broker.channel;
    this.watchReturns(ch);
    const body = Buffer.from(toBinary(HubEventSchema, event));
    await new Promise<void>((resolve, reject) => {
      try {
        ch.publish(Exchanges.events, RoutingKeys.work, body, {
          persistent: true,
          mandatory: true,
          messageId: event.eventId,
          contentType: ContentTypes.hubEvent,
          timestamp: Math.floor(Date.now() / 1000),
          headers: { ...headers, [Headers.eventId]: event.eventId },
        }, (err) => {
          const wasReturned = this.returned.delete(event.eventId);
          if (err) reject(new BrokerUnavailable());
          else if (wasReturned) reject(new EventNotRouted());
          else resolve();
        });
      } catch {
        reject(new BrokerUnavailable());
      }
    });
  }

  private watchReturns(ch: ConfirmChannel): void {
    if (this.watched === ch) return;
    this.watched = ch;
    ch.on('return', (msg: Message) => {
      if (msg.properties.messageId) this.returned.add(String(msg.properties.messageId));
    });
  }
}
