import { ContentTypes, Headers, HubEventSchema, retryQueueName, messageBytes, type DeliveryOutcomeName, type HubEvent } from '@datahub/proto';
import { trace, type Context } from '@opentelemetry/api';
import type { ConsumeMessage } from 'amqplib';
import { Attr, inSpan, workerMetrics, type ConfirmedPublisher } from '@datahub/connectors';
import { logger } from '../logger';
import { bucketFor } from './delay.ladder';
import { nextRetryDelay } from './delivery.classify';
import { eventLogOf, responseExcerpt, usageOf, type EventLogOptions } from './event.log';
import type { OutcomeRecorder, SettleWrites } from './outcome.recorder';
import type { PipelineResult, RunCapture } from './sync.pipeline';

const metrics = workerMetrics();

export interface SettleDeps {
  recorder: OutcomeRecorder;
  publisher: ConfirmedPublisher;
  bucketsMs: number[];
  log: EventLogOptions;
}

export interface SettleContext {
  msg: ConsumeMessage;
  event: HubEvent;
  result: PipelineResult;
  entityKey: string | null;
  retryScheduleMs: readonly number[];
  durationMs: number;
  /** The attempt's span context: the parent of its dead-letter span, and the trace id recorded with it. */
  traceCtx: Context;
  capture: RunCapture;
  /** Host of the sync's target ('' without a plan): the usage key. */
  targetHost: string;
}

const traceIdOf = (s: SettleContext): string | null => trace.getSpanContext(s.traceCtx)?.traceId ?? null;

/** How an event ended for good (a bulk run counts these), or null while it goes round again. */
export type FinalOutcome = 'delivered' | 'unchanged' | 'filtered' | 'failed' | null;

/**
 * Records how one run ended and moves the event on; resolves when both are durable, so the caller
 * may then acknowledge the message. Every result ends as an attempt row, a dead letter, or (held)
 * a parked event that keeps its attempt number.
 */
export async function settle(s: SettleContext, deps: SettleDeps): Promise<FinalOutcome> {
  const outcome = await record(s, deps);
  // After the outcome is durable; counters only: no await, no allocation beyond the labels' cache.
  if (outcome) metrics.attempt(s.result.target, outcome, Number(s.event.receivedAtMs), Date.now());
  if (outcome === 'dead_lettered') metrics.deadLetter(s.result.target, s.result.kind === 'permanent' ? 'permanent' : 'exhausted');
  switch (outcome) {
    case 'delivered': case 'filtered': return outcome;
    case 'unchanged': case 'superseded': return 'unchanged';
    case 'dead_lettered': return 'failed';
    default: return null;
  }
}

/** Writes the outcome and moves the event on; the attempt's outcome, or null when it was parked (no attempt used). */
async function record(s: SettleContext, deps: SettleDeps): Promise<DeliveryOutcomeName | null> {
  const { event, result } = s;
  const releaseKey = s.entityKey ?? undefined;
  const base = { status: result.status, durationMs: s.durationMs, traceId: traceIdOf(s), target: result.target, responseExcerpt: responseExcerpt(result, deps.log) };
  if (result.kind === 'held') {
    await republish(s.msg, { ...event, notBeforeMs: BigInt(result.untilMs) }, result.untilMs - Date.now(), deps);
    logger.debug({ eventId: event.eventId, reason: result.reason, untilMs: result.untilMs }, 'event parked');
    await deps.recorder.record(event, null, { releaseKey });
    return null;
  }
  const log = await eventLogOf(event, s.entityKey, s.capture, deps.log);
  const writes = (retried: boolean): SettleWrites => ({ releaseKey, log, usage: usageOf(event, result, s.capture, s.targetHost, retried) });
  switch (result.kind) {
    case 'ok':
      await deps.recorder.record(event, { ...base, outcome: 'delivered', error: null }, {
        ...writes(false), ...(result.hash && s.entityKey ? { fingerprint: { entityKey: s.entityKey, hash: result.hash } } : {}),
      });
      return 'delivered';
    case 'skipped':
      await deps.recorder.record(event, { ...base, outcome: result.outcome, error: result.reason }, writes(false));
      return result.outcome;
    case 'retryable': {
      const delayMs = nextRetryDelay(s.retryScheduleMs, event.attempt, result.retryAfterMs);
      if (delayMs !== null) {
        await deps.recorder.record(event, { ...base, outcome: 'retrying', error: result.reason, nextRetryAtMs: Date.now() + delayMs }, writes(true));
        const next = { ...event, attempt: event.attempt + 1, notBeforeMs: BigInt(Date.now() + delayMs) };
        await republish(s.msg, next, delayMs, deps);
        return 'retrying';
      }
      await deadLetter(s, `attempts exhausted (${event.attempt}); last: ${result.reason}`, result.response ?? null, base.responseExcerpt, writes(false), deps);
      return 'dead_lettered';
    }
    case 'permanent':
      await deadLetter(s, result.reason, result.response ?? null, base.responseExcerpt, writes(false), deps);
      return 'dead_lettered';
    default: {
      const unknown: never = result;
      throw new Error(`unknown pipeline result ${JSON.stringify(unknown)}`);
    }
  }
}

async function deadLetter(s: SettleContext, reason: string, response: string | null, excerpt: string | null, writes: SettleWrites, deps: SettleDeps): Promise<void> {
  const { event, result } = s;
  await inSpan('dead letter', { parent: s.traceCtx, attributes: { [Attr.event]: event.eventId, [Attr.attempt]: event.attempt, [Attr.outcome]: 'dead_lettered' } }, () =>
    deps.recorder.deadLetter(event, {
      outcome: 'dead_lettered', status: result.status, durationMs: s.durationMs, traceId: traceIdOf(s), target: result.target, error: reason, response, responseExcerpt: excerpt,
    }, s.msg.content, writes));
  logger.warn({ eventId: event.eventId, traceId: traceIdOf(s), reason }, 'event dead-lettered');
}

/** Into the delay bucket that fits the wait, keeping the trace headers; confirmed and routed. */
export function republish(msg: ConsumeMessage, event: HubEvent, waitMs: number, deps: SettleDeps): Promise<void> {
  const h = msg.properties.headers ?? {};
  const headers: Record<string, unknown> = {};
  for (const name of [Headers.traceparent, Headers.tracestate, Headers.eventId]) if (h[name] !== undefined) headers[name] = h[name];
  return deps.publisher.sendToQueue(retryQueueName(bucketFor(waitMs, deps.bucketsMs)), messageBytes(HubEventSchema, event), {
    messageId: event.eventId, contentType: ContentTypes.hubEvent, headers,
  });
}
