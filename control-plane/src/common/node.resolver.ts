import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from './context';
import { NotFound } from './errors';
import { isRawId, parseGlobalId, type NodeType } from './global-id';
import { Node } from './node.types';
import { ApiTokenEntity, AuditEntryEntity, CredentialEntity, DeliveryAttemptEntity, DeadLetterEntity, InboundKeyEntity, ProjectEntity, SignatureSecretEntity, SyncEntity, SyncVersionEntity, TenantEntity } from '../db/base.entities';
import { Project, Tenant } from '../tenants/tenant.types';
import { ApiToken } from '../auth/api-token.types';
import { Credential } from '../credentials/credential.types';
import { Sync, SyncVersion } from '../syncs/sync.types';
import { InboundKey } from '../ingress-keys/inbound-key.types';
import { InboundSignatureSecret } from '../ingress-keys/inbound-signature.types';
import { DeadLetter, DeliveryAttempt } from '../deliveries/delivery.types';
import { AuditEntry } from '../audit/audit.types';
import { SyncTemplate } from '../templates/template.types';
import { toGlobalId } from './global-id';
import { SandboxRunEntity, SyncTestCaseEntity } from '../sandbox/sandbox.entities';
import { SandboxRun, SyncTestCase } from '../sandbox/sandbox.types';
import { BULK_LOADERS } from '../bulk/bulk.resolver';
import { DestinationBatchEntity, DestinationEntity, DestinationSecretEntity, EventTypeEntity } from '../destinations/destination.entity';
import { Destination, DestinationDelivery, DestinationSecret } from '../destinations/destination.types';
import { EventType } from '../events/event-type.types';

/** Loaders per global-id type (every type: a new one without a loader does not compile); all go through the caller's TenantScope. */
const loaders: Record<NodeType, (ctx: RequestContext, id: string) => Promise<Node>> = {
  Tenant: async (ctx, id) => {
    const scope = ctx.tenant();
    if (id !== scope.tenantId) throw new NotFound('Tenant');
    return Tenant.from(await ctx.ds.getRepository(TenantEntity).findOneByOrFail({ id }));
  },
  ApiToken: async (ctx, id) => ApiToken.from(await ctx.tenant('admin').loadRaw(ApiTokenEntity, 'ApiToken', id)),
  Project: async (ctx, id) => Project.from(await ctx.tenant().loadRaw(ProjectEntity, 'Project', id)),
  Credential: async (ctx, id) => Credential.from(await ctx.tenant().loadRaw(CredentialEntity, 'Credential', id)),
  Sync: async (ctx, id) => Sync.from(await ctx.tenant().loadRaw(SyncEntity, 'Sync', id)),
  SyncVersion: async (ctx, id) => SyncVersion.from(await ctx.tenant().loadRaw(SyncVersionEntity, 'SyncVersion', id)),
  InboundKey: async (ctx, id) => InboundKey.from(await ctx.tenant().loadRaw(InboundKeyEntity, 'InboundKey', id)),
  SignatureSecret: async (ctx, id) => InboundSignatureSecret.from(await ctx.tenant().loadRaw(SignatureSecretEntity, 'SignatureSecret', id)),
  DeadLetter: async (ctx, id) => DeadLetter.from(await ctx.tenant().loadRaw(DeadLetterEntity, 'DeadLetter', id)),
  AuditEntry: async (ctx, id) => AuditEntry.from(await ctx.tenant().loadRaw(AuditEntryEntity, 'AuditEntry', id)),
  SyncTemplate: async (ctx, id) => SyncTemplate.from(await ctx.services.templates.load(ctx.tenant(), toGlobalId('SyncTemplate', id), 'id')),
  Target: async (ctx, id) => ctx.services.targets.load(ctx.tenant(), id),
  SandboxRun: async (ctx, id) => SandboxRun.from(await ctx.tenant().loadRaw(SandboxRunEntity, 'SandboxRun', id)),
  SyncTestCase: async (ctx, id) => SyncTestCase.from(await ctx.tenant().loadRaw(SyncTestCaseEntity, 'SyncTestCase', id)),
  ...BULK_LOADERS,
  Destination: async (ctx, id) => Destination.from(await ctx.tenant().loadRaw(DestinationEntity, 'Destination', id)),
  DestinationSecret: async (ctx, id) => DestinationSecret.from(await ctx.tenant().loadRaw(DestinationSecretEntity, 'DestinationSecret', id)),
  DestinationDelivery: async (ctx, id) => DestinationDelivery.from(await ctx.tenant().loadRaw(DestinationBatchEntity, 'DestinationDelivery', id)),
  EventType: async (ctx, id) => EventType.from(await ctx.tenant().loadRaw(EventTypeEntity, 'EventType', id)),
  DeliveryAttempt: async (ctx, id) => {
    const scope = ctx.tenant();
    const row = await scope.repo(DeliveryAttemptEntity).findOneBy(scope.where<DeliveryAttemptEntity>({ id }));
    if (!row) throw new NotFound('DeliveryAttempt');
    return DeliveryAttempt.from(row);
  },
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: 'Any object by its global id' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Node> {
    ctx.tenant();
    const parsed = parseGlobalId(id);
    const load = parsed && loaders[parsed.type as NodeType];
    if (!parsed || !load || !isRawId(parsed.type, parsed.id)) throw new NotFound('Node');
    return load(ctx, parsed.id);
  }
}
