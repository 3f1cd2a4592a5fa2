import { ContentTypes, DestinationEventSchema, Exchanges, Headers, HubEventSchema, RoutingKeys, messageBytes, type DestinationEvent, type HubEvent } from '@datahub/proto';
import type { ConfirmedPublisher } from '@datahub/connectors';

/** Publishes an accepted webhook to hub.events; resolves only when it is confirmed and routed. */
export class EventPublisher {
  constructor(private readonly publisher: ConfirmedPublisher) {}

  publish(event: HubEvent, headers: Record<string, string>): Promise<void> {
    return this.publisher.publish(Exchanges.events, RoutingKeys.work, messageBytes(HubEventSchema, event), {
      messageId: event.eventId,
      contentType: ContentTypes.hubEvent,
      timestamp: Math.floor(Date.now() / 1000),
      headers: { ...headers, [Headers.eventId]: event.eventId },
    });
  }

  /** A business or change-log event for webhook destinations, to hub.destinations (fanned out there). */
  publishForDestinations(event: DestinationEvent): Promise<void> {
    return this.publisher.publish(Exchanges.events, RoutingKeys.destinations, messageBytes(DestinationEventSchema, event), {
      messageId: event.eventId, contentType: ContentTypes.destinationEvent, timestamp: Math.floor(Date.now() / 1000),
    });
  }
}
