import { create, HubEventSchema } from '@datahub/proto';
import { usageOf } from './event.log';
import type { PipelineResult } from './sync.pipeline';
import { latencyBucket } from './usage.meter';

describe('what one attempt adds to usage', () => {
  const event = (attempt: number, replay = 0) => create(HubEventSchema, {
    eventId: 'e', tenantId: 't', projectId: 'p', syncId: 's', attempt, replay, receivedAtMs: 1_000n,
  });
  const ok: PipelineResult = { kind: 'ok', hash: 'h', status: 204, target: 'api.example.com' };
  const failed: PipelineResult = { kind: 'retryable', reason: 'HTTP 503', status: 503, target: 'api.example.com' };

  it('counts a first delivery as received, fetched and delivered, with both latencies', () => {
    expect(usageOf(event(1), ok, { fetched: true, callMs: 40 }, 'api.example.com', false, 1_250)).toEqual({
      tenantId: 't', projectId: 'p', syncId: 's', target: 'api.example.com',
      counts: { received: 1, fetched: 1, delivered: 1 }, latencyMs: { target_call: 40, receipt_to_delivery: 250 },
    });
  });

  it('counts a later attempt and a replay as not received again; a replay has no receipt latency', () => {
    expect(usageOf(event(2), ok, { fetched: true }, 'h', false, 5_000).counts.received).toBe(0);
    const replayed = usageOf(event(1, 1), ok, { fetched: true, callMs: 5 }, 'h', false, 9_000);
    expect(replayed.counts).toEqual({ received: 0, fetched: 1, delivered: 1 });
    expect(replayed.latencyMs).toEqual({ target_call: 5 });
  });

  it('tells retried from dead-lettered, and skipped outcomes apart', () => {
    expect(usageOf(event(1), failed, { fetched: true, callMs: 9 }, 'h', true).counts).toEqual({ received: 1, fetched: 1, retried: 1 });
    expect(usageOf(event(3), failed, { fetched: true, callMs: 9 }, 'h', false).counts).toEqual({ received: 0, fetched: 1, dead_lettered: 1 });
    const skip = (outcome: 'filtered' | 'unchanged' | 'superseded'): PipelineResult => ({ kind: 'skipped', outcome, reason: '', status: null, target: 'h' });
    expect(usageOf(event(1), skip('filtered'), { fetched: true }, 'h', false).counts).toEqual({ received: 1, fetched: 1, filtered: 1 });
    expect(usageOf(event(1), skip('superseded'), { fetched: false }, 'h', false).counts).toEqual({ received: 1, fetched: 0, unchanged: 1 });
  });

  it('puts a latency in the first bucket whose bound holds it, or the overflow bucket', () => {
    expect([0, 5, 6, 250, 251, 3_600_000, 3_600_001].map(latencyBucket)).toEqual([5, 5, 10, 250, 500, 3_600_000, -1]);
  });
});
