import { Field, InputType, ObjectType } from 'type-graphql';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { ProjectEntity, TenantEntity } from '../db/base.entities';
import { mergeDeliveryPolicies } from './delivery-policy.rules';
import { DeliveryPolicy, DeliveryPolicyInput } from './delivery-policy.types';
import { Endpoint, EndpointInput, Trigger, TriggerInput, type SyncDefinitionInput, type TriggerKind } from './sync.types';

/** What a sync inherits when its input leaves a part out: tenant defaults, overridden by project defaults. */
@InputType()
export class SyncDefaultsInput {
  @Field(() => TriggerInput, { nullable: true }) trigger?: TriggerInput;
  @Field(() => EndpointInput, { nullable: true }) source?: EndpointInput;
  @Field(() => EndpointInput, { nullable: true }) target?: EndpointInput;
  @Field(() => DeliveryPolicyInput, { nullable: true, description: 'Merged field by field: a sync sets some, the project others, the tenant the rest' }) delivery?: DeliveryPolicyInput;
}

@ObjectType()
export class SyncDefaults {
  @Field(() => Trigger, { nullable: true }) trigger: Trigger | null;
  @Field(() => Endpoint, { nullable: true }) source: Endpoint | null;
  @Field(() => Endpoint, { nullable: true }) target: Endpoint | null;
  @Field(() => DeliveryPolicy, { nullable: true }) delivery: DeliveryPolicy | null;

  /** Stored defaults are inputs (global ids), shown back as they were given. */
  static from(d: Record<string, unknown>): SyncDefaults {
    const ep = (e: unknown) => (e ? Object.assign(new Endpoint(), { params: {}, ...(e as object) }) : null);
    const delivery = d.delivery as Partial<DeliveryPolicy> | undefined;
    return {
      trigger: (d.trigger as Trigger) ?? null, source: ep(d.source), target: ep(d.target),
      delivery: delivery ? DeliveryPolicy.from({ retryScheduleSec: null, timeoutMs: null, rateLimitPerSec: null, ...delivery }) : null,
    };
  }
}

type Stored = { trigger?: { kind: TriggerKind; idParam?: string }; source?: EndpointInput; target?: EndpointInput; delivery?: DeliveryPolicyInput };

/**
 * The definition a sync gets: each of trigger, source and target comes from the input, else the
 * project's defaults, else the tenant's. Given an endpoint of the same connector as the default,
 * its params are merged over the default's (so a default databaseId need not be repeated). Each
 * field of the delivery policy is taken from the first of input, project and tenant that sets it.
 */
export async function withDefaults(scope: TenantScope, projectId: string, input: SyncDefinitionInput, at: string): Promise<SyncDefinitionInput> {
  const tenant = await scope.ds.getRepository(TenantEntity).findOneByOrFail({ id: scope.tenantId });
  const project = await scope.loadRaw(ProjectEntity, 'Project', projectId);
  const t = (tenant.defaults ?? {}) as Stored;
  const p = (project.defaults ?? {}) as Stored;
  const pick = <K extends keyof Stored>(k: K) => p[k] ?? t[k];
  const merge = (given: EndpointInput | undefined, fallback: EndpointInput | undefined) => {
    if (!given) return fallback;
    if (!fallback || fallback.connector !== given.connector) return given;
    return { ...given, params: { ...(fallback.params ?? {}), ...(given.params ?? {}) } };
  };
  const trigger = input.trigger ?? pick('trigger');
  if (!trigger) throw new InvalidInput(`${at}.trigger`, 'Give a trigger (no tenant or project default is set)');
  // A webhook destination as the target: no connector target is defaulted in (the validator refuses both).
  const target = input.destination ? input.target : merge(input.target, pick('target'));
  if (!target && !input.destination) throw new InvalidInput(`${at}.target`, 'Give a target (no tenant or project default is set)');
  const source = trigger.kind === 'notify' ? merge(input.source, pick('source')) : input.source;
  const delivery = mergeDeliveryPolicies(input.delivery, p.delivery, t.delivery);
  return { ...input, trigger: { kind: trigger.kind, idParam: trigger.idParam ?? 'id' }, source, target, delivery };
}
