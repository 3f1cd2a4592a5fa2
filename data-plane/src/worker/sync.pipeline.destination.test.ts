import { BrokerUnavailable, canonicalHash } from '@datahub/connectors';
import { create, DestinationEventSchema, HubEventSchema, SyncPlanSchema, TriggerKind, type DestinationEvent } from '@datahub/proto';
import type { Fingerprint } from './entity.lease';
import { SyncPipeline } from './sync.pipeline';

/** The destination-target branch of the pipeline: a pushed record is mapped and handed to hub.destinations. */
describe('SyncPipeline with a webhook destination as target', () => {
  const plan = create(SyncPlanSchema, {
    syncId: 's1', version: 2, tenantId: 't1', projectId: 'p1', trigger: { kind: TriggerKind.PUSH, idParam: 'id' },
    mapping: '{ "email": record.email }', destination: { destinationId: 'd1', resourceType: 'profile', stream: 'change_log' },
  });
  const event = create(HubEventSchema, {
    eventId: 'e1', tenantId: 't1', syncId: 's1', syncVersion: 2, trigger: TriggerKind.PUSH, attempt: 1,
    recordJson: Buffer.from(JSON.stringify({ id: 'r1', email: 'a@b.c' })), receivedAtMs: BigInt(Date.now()),
  });
  // No connector client or target guard: a destination sync must not reach either.
  const pipeline = (publish: (e: DestinationEvent) => Promise<void>) => new SyncPipeline(null as never, null as never, undefined, undefined, publish);
  const ctx = (last: Fingerprint | null = null) => ({ entityKey: 'r1', last, timeoutMs: 1000, ratePerSec: 0, sourceRatePerSec: 0 });

  it('publishes the mapped record as a change-log event and returns the fingerprint to store', async () => {
    const sent: DestinationEvent[] = [];
    const r = await pipeline(async (e) => void sent.push(e)).run(event, plan, ctx());
    expect(r).toMatchObject({ kind: 'ok', hash: canonicalHash({ email: 'a@b.c' }), target: 'destination:d1' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ eventId: 'e1', tenantId: 't1', destinationId: 'd1', stream: 'change_log', resourceType: 'profile' });
    expect(JSON.parse(Buffer.from(sent[0]!.eventJson).toString())).toMatchObject({ resource_type: 'profile', common_model_id: 'r1', data: { email: 'a@b.c' } });
    expect(sent[0]!.$typeName).toBe(create(DestinationEventSchema).$typeName);
  });

  it('a broker refusal is retried and yields no fingerprint', async () => {
    const r = await pipeline(async () => { throw new BrokerUnavailable(); }).run(event, plan, ctx());
    expect(r).toMatchObject({ kind: 'retryable', target: 'destination:d1', reason: expect.stringContaining('hub.destinations did not take the event') });
    expect('hash' in r).toBe(false);
  });

  it('an unchanged record is not handed off again', async () => {
    const sent: DestinationEvent[] = [];
    const r = await pipeline(async (e) => void sent.push(e)).run(event, plan, ctx({ hash: canonicalHash({ email: 'a@b.c' }), syncVersion: 2, receivedAtMs: 0 }));
    expect(r).toMatchObject({ kind: 'skipped', outcome: 'unchanged' });
    expect(sent).toHaveLength(0);
  });
});
