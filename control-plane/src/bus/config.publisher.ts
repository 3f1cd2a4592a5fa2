import { ConfigChangeKind, ConfigChangedSchema, ContentTypes, create, Exchanges, messageBytes, type ConfigChanged } from '@datahub/proto';
import type { ConfirmedPublisher } from '@datahub/connectors';

export interface ConfigChange {
  kind: ConfigChangeKind;
  tenantId?: string;
  syncId?: string;
  keyPrefix?: string;
  credentialId?: string;
  destinationId?: string;
}

/** Announces configuration changes on the hub.config fanout so every data-plane process drops its caches. */
export interface ConfigBus {
  publish(change: ConfigChange): Promise<void>;
}

export class AmqpConfigBus implements ConfigBus {
  constructor(private readonly amqp: ConfirmedPublisher, private readonly log: (msg: string, err?: unknown) => void) {}

  /**
   * Publishes with a broker confirm; tries twice. A failure is logged, not thrown: the change is
   * already committed, and data-plane caches also expire on their own (see their maxAgeMs).
   * Not mandatory: with no data-plane process running, nobody needs to hear it.
   */
  async publish(change: ConfigChange): Promise<void> {
    const message: ConfigChanged = create(ConfigChangedSchema, { ...change, atMs: BigInt(Date.now()) });
    const body = messageBytes(ConfigChangedSchema, message);
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await this.amqp.publish(Exchanges.config, '', body, { contentType: ContentTypes.configChanged, persistent: false, mandatory: false });
        return;
      } catch (e) {
        if (attempt === 2) this.log('could not publish ConfigChanged', e);
      }
    }
  }
}
