import { MessageNotRouted, type ConfirmedPublisher } from '@datahub/connectors';
import { ContentTypes, create, fromBinary, Queues, SandboxReplySchema, SandboxRequestSchema, messageBytes, type SandboxReply } from '@datahub/proto';
import type { Channel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';

/** RabbitMQ's direct reply-to pseudo-queue: replies come back on the channel that asked, with no queue to declare. */
const REPLY_TO = 'amq.rabbitmq.reply-to';

/** Why a sandbox run got no answer; the message tells a person what to do. */
export class SandboxUnavailable extends Error {}

/** Asks a worker to run a stored sandbox run (see README.md beside this file) and waits for its reply. */
export interface SandboxRunner {
  run(runId: string, tenantId: string): Promise<SandboxReply>;
}

/**
 * Request/reply over hub.sandbox: each request carries a correlation id, the direct reply-to
 * address and its timeout as a per-message TTL (so a request nobody took in time is dropped, not run
 * late). No answer within the timeout, no worker queue at all, or no broker: SandboxUnavailable.
 */
export class AmqpSandboxRunner implements SandboxRunner {
  private readonly pending = new Map<string, (reply: SandboxReply) => void>();

  constructor(private readonly publisher: ConfirmedPublisher, private readonly timeoutMs: number) {}

  /** Called with every new channel (BrokerConnection's onChannel): listens for replies on it. */
  async attach(ch: Channel): Promise<void> {
    await ch.consume(REPLY_TO, (msg: ConsumeMessage | null) => {
      if (!msg) return;
      const resolve = this.pending.get(String(msg.properties.correlationId));
      if (!resolve) return;
      try {
        resolve(fromBinary(SandboxReplySchema, msg.content));
      } catch {
        resolve(create(SandboxReplySchema, { status: 'error', error: 'the worker sent an unreadable reply' }));
      }
    }, { noAck: true });
  }

  async run(runId: string, tenantId: string): Promise<SandboxReply> {
    const correlationId = randomUUID();
    const reply = new Promise<SandboxReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new SandboxUnavailable(`no worker answered within ${this.timeoutMs} ms; check that a worker is running (the run is kept as "pending")`));
      }, this.timeoutMs);
      this.pending.set(correlationId, (r) => {
        clearTimeout(timer);
        this.pending.delete(correlationId);
        resolve(r);
      });
    });
    const body = messageBytes(SandboxRequestSchema, create(SandboxRequestSchema, { runId, tenantId }));
    try {
      await this.publisher.sendToQueue(Queues.sandbox, body, {
        correlationId, replyTo: REPLY_TO, expiration: String(this.timeoutMs), persistent: false, contentType: ContentTypes.sandboxRequest,
      });
    } catch (e) {
      this.pending.get(correlationId)?.(create(SandboxReplySchema, { runId, status: 'error', error: '' }));
      void reply.catch(() => undefined);
      throw new SandboxUnavailable(e instanceof MessageNotRouted
        ? 'no worker has ever listened for sandbox runs (queue hub.sandbox is missing); start a worker'
        : 'the message broker is unreachable; try again shortly');
    }
    return reply;
  }
}
