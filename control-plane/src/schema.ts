import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { auditMutations } from './audit/audit.middleware';
import { NodeResolver } from './common/node.resolver';
import { ApiTokenResolver } from './auth/api-token.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { ConnectorResolver } from './connectors/connector.resolver';
import { CredentialResolver } from './credentials/credential.resolver';
import { InboundKeyResolver } from './ingress-keys/inbound-key.resolver';
import { SyncResolver } from './syncs/sync.resolver';
import { EndpointResolver } from './syncs/endpoint.resolver';
import { SyncToolsResolver } from './syncs/sync-tools.resolver';
import { TemplateResolver } from './templates/template.resolver';
import { TenantResolver } from './tenants/tenant.resolver';
import { TargetResolver } from './targets/target.resolver';
import { DeadLetterResolver } from './deliveries/dead-letter.resolver';
import { SandboxResolver } from './sandbox/sandbox.resolver';
import { LifecycleResolver } from './lifecycle/lifecycle.resolver';
import { DeadLetterTraceResolver, DeliveryAttemptTraceResolver } from './deliveries/trace-url.resolver';
import { UsageResolver } from './usage/usage.resolver';
import { DeliveryLogResolver } from './deliveries/delivery-log.resolver';
import { DestinationResolver } from './destinations/destination.resolver';
import { EventTypeResolver } from './events/event-type.resolver';
import { TriggerSetupResolver } from './triggers/trigger-setup.resolver';
import { TriggerInstallResolver } from './triggers/trigger-install.resolver';
import { AccuracyAuditResolver, BulkRunTraceResolver, BulkSyncResolver } from './bulk/bulk.resolver';

export const RESOLVERS = [NodeResolver, TenantResolver, ApiTokenResolver, AuditResolver, CredentialResolver, SyncResolver, EndpointResolver, SyncToolsResolver, TemplateResolver, InboundKeyResolver, ConnectorResolver, TargetResolver, DeadLetterResolver, SandboxResolver, LifecycleResolver, DeliveryAttemptTraceResolver, DeadLetterTraceResolver, UsageResolver, DeliveryLogResolver, BulkSyncResolver, BulkRunTraceResolver, AccuracyAuditResolver, DestinationResolver, EventTypeResolver, TriggerSetupResolver, TriggerInstallResolver] as const;

/** Every mutation is audited (see auditMutations). */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  return auditMutations(await buildSchema({ resolvers: [...RESOLVERS], validate: false, emitSchemaFile: false }));
}
