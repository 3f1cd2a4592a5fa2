import type { ApiTokenService } from '../auth/api-token.service';
import type { CredentialService } from '../credentials/credential.service';
import type { InboundKeyService } from '../ingress-keys/inbound-key.service';
import type { InboundSignatureService } from '../ingress-keys/inbound-signature.service';
import type { SyncService } from '../syncs/sync.service';
import type { TenantService } from '../tenants/tenant.service';
import type { DeliveryService } from '../deliveries/delivery.service';
import type { DeadLetterReplayer } from '../deliveries/dead-letter.replay';
import type { Idempotency } from './idempotency';
import type { TemplateService } from '../templates/template.service';
import type { TargetService } from '../targets/target.service';
import type { SandboxService } from '../sandbox/sandbox.service';
import type { LifecycleService } from '../lifecycle/lifecycle.service';
import type { UsageService } from '../usage/usage.service';
import type { UsageSettingsService } from '../usage/usage-settings.service';
import type { DeliveryLogService } from '../deliveries/delivery-log.service';
import type { BulkService } from '../bulk/bulk.service';
import type { DestinationService } from '../destinations/destination.service';
import type { EventTypeService } from '../events/event-type.service';
import type { TriggerInstallService } from '../triggers/trigger-install.service';

/** Every service a resolver may call, built once per process (see server.ts). */
export interface Services {
  triggers: TriggerInstallService;
  tokens: ApiTokenService;
  tenants: TenantService;
  credentials: CredentialService;
  syncs: SyncService;
  inboundKeys: InboundKeyService;
  inboundSignatures: InboundSignatureService;
  deliveries: DeliveryService;
  replays: DeadLetterReplayer;
  idempotency: Idempotency;
  templates: TemplateService;
  targets: TargetService;
  sandbox: SandboxService;
  lifecycle: LifecycleService;
  usage: UsageService;
  usageSettings: UsageSettingsService;
  deliveryLog: DeliveryLogService;
  bulk: BulkService;
  destinations: DestinationService;
  eventTypes: EventTypeService;
}
