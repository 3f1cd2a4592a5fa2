import type { HubEvent } from '@datahub/proto';
import { excerptJson, excerptText, type SensitiveKey } from './log.excerpt';
import type { EventLogWrite } from './outcome.recorder';
import type { PipelineResult, RunCapture } from './sync.pipeline';
import type { UsageSample } from './usage.meter';

/** How the delivery log is written: excerpt size and the tenant's redaction (cached; see ConfigStore.logRedaction). */
export interface EventLogOptions {
  excerptChars: number;
  sensitive: (tenantId: string) => Promise<SensitiveKey>;
}

/** The event's delivery-log row: bounded, redacted excerpts of the fetched record and the mapped payload. */
export async function eventLogOf(event: HubEvent, entityKey: string | null, capture: RunCapture, opts: EventLogOptions): Promise<EventLogWrite> {
  const sensitive = await opts.sensitive(event.tenantId);
  return {
    entityKey,
    recordExcerpt: excerptJson(capture.record, opts.excerptChars, sensitive),
    payloadExcerpt: excerptJson(capture.payload, opts.excerptChars, sensitive),
  };
}

export function responseExcerpt(result: PipelineResult, opts: EventLogOptions): string | null {
  return 'response' in result ? excerptText(result.response, opts.excerptChars) : null;
}

/**
 * What one settled attempt adds to usage. `received`: the first attempt of the event as received
 * (not a replay); `fetched`: the source was read; superseded pushes count as unchanged (nothing
 * sent, a newer record was). Receipt → delivery latency is left out for replays (their receipt
 * is the original one).
 */
export function usageOf(event: HubEvent, result: PipelineResult, capture: RunCapture, target: string, retried: boolean, nowMs = Date.now()): UsageSample {
  const counts: UsageSample['counts'] = {
    received: event.attempt === 1 && event.replay === 0 ? 1 : 0,
    fetched: capture.fetched ? 1 : 0,
  };
  const latencyMs: UsageSample['latencyMs'] = capture.callMs !== undefined ? { target_call: capture.callMs } : {};
  switch (result.kind) {
    case 'ok':
      counts.delivered = 1;
      if (event.replay === 0) latencyMs.receipt_to_delivery = Math.max(0, nowMs - Number(event.receivedAtMs));
      break;
    case 'skipped':
      counts[result.outcome === 'filtered' ? 'filtered' : 'unchanged'] = 1;
      break;
    case 'retryable':
    case 'permanent':
      counts[retried ? 'retried' : 'dead_lettered'] = 1;
      break;
    case 'held':
      break;
    default: {
      const unknown: never = result;
      throw new Error(`unknown pipeline result ${JSON.stringify(unknown)}`);
    }
  }
  return { tenantId: event.tenantId, projectId: event.projectId, syncId: event.syncId, target, counts, latencyMs };
}
