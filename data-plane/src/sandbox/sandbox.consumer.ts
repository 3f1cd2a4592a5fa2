import type { ConfirmedPublisher } from '@datahub/connectors';
import { ContentTypes, create, fromBinary, Queues, SandboxReplySchema, SandboxRequestSchema, messageBytes } from '@datahub/proto';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { logger } from '../logger';
import { runSandbox, type SandboxRunnerDeps } from './sandbox.runner';

/** Sandbox runs a worker takes at once: they are few and interactive; live work keeps its own prefetch. */
const SANDBOX_PREFETCH = 4;

/**
 * Consumes hub.sandbox: runs the named sandbox run and answers on the message's reply-to with the
 * same correlation id. A request whose caller already gave up expired in the queue (per-message TTL).
 */
export async function startSandboxConsumer(ch: ConfirmChannel, deps: SandboxRunnerDeps & { publisher: ConfirmedPublisher }): Promise<void> {
  await ch.prefetch(SANDBOX_PREFETCH);
  await ch.consume(Queues.sandbox, (msg) => {
    if (!msg) return;
    void handle(msg, deps).finally(() => {
      try {
        ch.ack(msg);
      } catch {
        /* channel gone: the caller times out and says so */
      }
    });
  });
}

async function handle(msg: ConsumeMessage, deps: SandboxRunnerDeps & { publisher: ConfirmedPublisher }): Promise<void> {
  let runId = '';
  let outcome: { status: string; error: string };
  try {
    const req = fromBinary(SandboxRequestSchema, msg.content);
    runId = req.runId;
    outcome = await runSandbox(req.runId, req.tenantId, deps);
  } catch (err) {
    logger.error({ err: String(err), runId }, 'sandbox run failed');
    outcome = { status: 'error', error: `the worker could not run it: ${(err as Error).message}` };
  }
  const { replyTo, correlationId } = msg.properties;
  if (!replyTo) return;
  await deps.publisher.sendToQueue(replyTo, messageBytes(SandboxReplySchema, create(SandboxReplySchema, { runId, ...outcome })), {
    // Not mandatory: RabbitMQ returns a mandatory publish to a direct reply-to address although it delivers it.
    correlationId, persistent: false, mandatory: false, contentType: ContentTypes.sandboxReply,
  }).catch((err) => logger.warn({ err: String(err), runId }, 'the sandbox caller is gone; its run stays stored'));
}
