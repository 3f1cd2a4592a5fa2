import { fromBinary, SyncPlanSchema } from '@datahub/proto';
import { checkDeliveryPolicy, mergeDeliveryPolicies } from './delivery-policy.rules';
import { compileSyncPlan } from './sync.compile';
import type { SyncDefinition } from './sync.definition';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { details?: { field?: string } }).details?.field;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('checkDeliveryPolicy', () => {
  it('keeps what is set and stores nothing when nothing is', () => {
    expect(checkDeliveryPolicy({ retryScheduleSec: [5, 5, 60], timeoutMs: 100, rateLimitPerSec: 0.5 }, 'input.delivery'))
      .toEqual({ retryScheduleSec: [5, 5, 60], timeoutMs: 100, rateLimitPerSec: 0.5 });
    expect(checkDeliveryPolicy({ timeoutMs: 60_000 }, 'd')).toEqual({ retryScheduleSec: null, timeoutMs: 60_000, rateLimitPerSec: null });
    expect(checkDeliveryPolicy({}, 'd')).toBeNull();
    expect(checkDeliveryPolicy(undefined, 'd')).toBeNull();
  });

  it('refuses out-of-range values at their input path', () => {
    const at = 'input.delivery';
    expect(fieldOf(() => checkDeliveryPolicy({ retryScheduleSec: [] }, at))).toBe('input.delivery.retryScheduleSec');
    expect(fieldOf(() => checkDeliveryPolicy({ retryScheduleSec: Array(11).fill(1) }, at))).toBe('input.delivery.retryScheduleSec');
    expect(fieldOf(() => checkDeliveryPolicy({ retryScheduleSec: [30, 86_401] }, at))).toBe('input.delivery.retryScheduleSec.1');
    expect(fieldOf(() => checkDeliveryPolicy({ retryScheduleSec: [0] }, at))).toBe('input.delivery.retryScheduleSec.0');
    expect(fieldOf(() => checkDeliveryPolicy({ retryScheduleSec: [60, 30] }, at))).toBe('input.delivery.retryScheduleSec.1');
    expect(fieldOf(() => checkDeliveryPolicy({ timeoutMs: 99 }, at))).toBe('input.delivery.timeoutMs');
    expect(fieldOf(() => checkDeliveryPolicy({ timeoutMs: 60_001 }, at))).toBe('input.delivery.timeoutMs');
    expect(fieldOf(() => checkDeliveryPolicy({ rateLimitPerSec: 0 }, at))).toBe('input.delivery.rateLimitPerSec');
    expect(fieldOf(() => checkDeliveryPolicy({ rateLimitPerSec: 10_000.5 }, at))).toBe('input.delivery.rateLimitPerSec');
  });
});

describe('mergeDeliveryPolicies', () => {
  it('takes each field from the first layer that sets it', () => {
    expect(mergeDeliveryPolicies({ timeoutMs: 500 }, { timeoutMs: 900, rateLimitPerSec: 3 }, { retryScheduleSec: [1], rateLimitPerSec: 9 }))
      .toEqual({ retryScheduleSec: [1], timeoutMs: 500, rateLimitPerSec: 3 });
    expect(mergeDeliveryPolicies(undefined, null, {})).toBeUndefined();
  });
});

describe('compileSyncPlan', () => {
  const endpoint = { connector: 'copernica', operation: 'upsertProfile', credentialId: '00000000-0000-0000-0000-000000000001', baseUrl: 'https://x', params: {} };
  const definition: SyncDefinition = { trigger: { kind: 'push', idParam: 'id' }, source: null, mapping: 'record', filter: null, target: endpoint };
  const ids = { syncId: 's', version: 1, tenantId: 't', projectId: 'p' };

  it('puts the delivery policy in the plan in milliseconds, 0 where the worker default applies', () => {
    const plan = fromBinary(SyncPlanSchema, compileSyncPlan(ids, { ...definition, delivery: { retryScheduleSec: [30, 90], timeoutMs: null, rateLimitPerSec: 2.5 } }));
    expect(plan.delivery).toMatchObject({ retryScheduleMs: [30_000, 90_000], timeoutMs: 0, rateLimitPerSec: 2.5 });
  });

  it('leaves the policy unset for a definition without one (stored before policies existed)', () => {
    expect(fromBinary(SyncPlanSchema, compileSyncPlan(ids, definition)).delivery).toBeUndefined();
  });
});
