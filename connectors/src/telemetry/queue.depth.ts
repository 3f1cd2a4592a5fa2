import type { Channel } from 'amqplib';
import { Gauge } from 'prom-client';
import { serviceRegistry, type ServiceName } from './metrics.registry';

const CHECK_TIMEOUT_MS = 2_000;

type Gauges = { messages: Gauge<'queue'>; consumers: Gauge<'queue'> };
const gauges = new Map<ServiceName, Gauges>();
/** Made once per service: two workers in one process (tests) share them. */
export function queueDepthGauges(service: ServiceName): Gauges {
  let g = gauges.get(service);
  if (!g) {
    const registers = [serviceRegistry(service)];
    g = {
      messages: new Gauge({ name: 'hub_queue_messages', help: 'Messages ready in a RabbitMQ queue (polled)', labelNames: ['queue'], registers }),
      consumers: new Gauge({ name: 'hub_queue_consumers', help: 'Consumers of a RabbitMQ queue (polled)', labelNames: ['queue'], registers }),
    };
    gauges.set(service, g);
  }
  return g;
}

/**
 * Polls the depth of a fixed list of queues (declared by the caller's topology: checkQueue on a
 * missing queue would close the channel) every `intervalMs`, off any hot path; one poll at a time,
 * each check bounded by a timeout. Returns the stop function.
 */
export function pollQueueDepth(service: ServiceName, channel: () => Channel | null, queues: readonly string[], intervalMs = 5_000): () => void {
  const { messages, consumers } = queueDepthGauges(service);
  let busy = false;
  const poll = async () => {
    const ch = channel();
    if (busy || !ch) return;
    busy = true;
    try {
      for (const queue of queues) {
        let timer: NodeJS.Timeout | undefined;
        const q = await Promise.race([
          ch.checkQueue(queue),
          new Promise<null>((r) => (timer = setTimeout(() => r(null), CHECK_TIMEOUT_MS))),
        ]).finally(() => clearTimeout(timer));
        if (!q) break;
        messages.set({ queue }, q.messageCount);
        consumers.set({ queue }, q.consumerCount);
      }
    } catch {
      /* broker away: the gauges keep their last values until it is back */
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
