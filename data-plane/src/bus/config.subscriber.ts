import { ConfigChangedSchema, Exchanges, fromBinary, type ConfigChanged } from '@datahub/proto';
import type { Channel } from 'amqplib';
import { logger } from '../logger';

/** Binds an exclusive, auto-deleted queue of this process to hub.config and hands every change to `onChange`. */
export async function subscribeConfig(ch: Channel, onChange: (change: ConfigChanged | null) => void): Promise<void> {
  const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
  await ch.bindQueue(queue, Exchanges.config, '');
  // Reconnected after an outage: changes may have been missed, so drop everything.
  onChange(null);
  await ch.consume(queue, (msg) => {
    if (!msg) return;
    try {
      onChange(fromBinary(ConfigChangedSchema, msg.content));
    } catch (err) {
      logger.warn({ err: String(err) }, 'unreadable ConfigChanged message; dropping all caches');
      onChange(null);
    }
  }, { noAck: true });
}
