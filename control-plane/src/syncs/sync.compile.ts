import { create, SyncPlanSchema, toBinary, TriggerKind } from '@datahub/proto';
import { deliveryPlan } from './delivery-policy.rules';
import type { EndpointDefinition, SyncDefinition } from './sync.definition';

const endpoint = (e: EndpointDefinition) => ({
  connector: e.connector, operation: e.operation, credentialId: e.credentialId, baseUrl: e.baseUrl, params: e.params,
});

/** The SyncPlan workers run: everything but secrets, which they decrypt by credential id. */
export function compileSyncPlan(
  ids: { syncId: string; version: number; tenantId: string; projectId: string },
  d: SyncDefinition,
  now = Date.now(),
): Uint8Array {
  const plan = create(SyncPlanSchema, {
    ...ids,
    trigger: { kind: d.trigger.kind === 'notify' ? TriggerKind.NOTIFY : TriggerKind.PUSH, idParam: d.trigger.idParam },
    source: d.source ? endpoint(d.source) : undefined,
    mapping: d.mapping,
    filter: d.filter ?? '',
    target: d.target ? endpoint(d.target) : undefined,
    destination: d.destination ?? undefined,
    delivery: deliveryPlan(d.delivery),
    compiledAtMs: BigInt(now),
  });
  return toBinary(SyncPlanSchema, plan);
}
