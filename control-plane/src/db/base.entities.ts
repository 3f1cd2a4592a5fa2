import type { CredentialStatusName, DeliveryOutcomeName } from '@datahub/proto';
import { SandboxRunEntity, SyncTestCaseEntity } from '../sandbox/sandbox.entities';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { BULK_ENTITIES } from '../bulk/bulk.entities';

@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  /** Values a sync inherits when its input leaves them out (see syncs/sync.defaults.ts). */
  @Column('jsonb', { default: {} }) defaults: Record<string, unknown>;
  /** The tenant's own HTTP CONNECT proxy for outbound calls (no credentials), or null for the operator's. */
  @Column('text', { name: 'egress_proxy_url', nullable: true }) egressProxyUrl: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  @Column('jsonb', { default: {} }) defaults: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  @Column('text') lookup: string;
  @Column('text') hash: string;
  @Column('text', { array: true }) scopes: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}

@Entity('credentials')
export class CredentialEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  @Column('text') kind: string;
  @Column('text', { name: 'secret_ciphertext' }) secretCiphertext: string;
  @Column('text', { name: 'key_id' }) keyId: string;
  @Column('text') fingerprint: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('text', { default: 'active' }) status: CredentialStatusName;
  /** Why it is failing, in words (e.g. the token endpoint's answer); null while active. */
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  @Column('timestamptz', { name: 'status_changed_at', nullable: true }) statusChangedAt: Date | null;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'rotated_at', nullable: true }) rotatedAt: Date | null;
  @Column('jsonb', { name: 'last_test', nullable: true }) lastTest: { ok: boolean; status: number | null; message: string; at: string } | null;
}

@Entity('syncs')
export class SyncEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('int', { name: 'active_version', nullable: true }) activeVersion: number | null;
  /** Inbound signature verification: {scheme, header, toleranceSec}; null = none. */
  @Column('jsonb', { nullable: true }) signature: { scheme: string; header: string | null; toleranceSec: number } | null;
  /** Set while paused: ingress refuses the sync's webhooks (409 sync_paused). */
  @Column('timestamptz', { name: 'paused_at', nullable: true }) pausedAt: Date | null;
  /** Where SANDBOX_TARGET sandbox runs deliver (an endpoint definition, credential id raw); null: none named. */
  @Column('jsonb', { name: 'sandbox_target', nullable: true }) sandboxTarget: Record<string, unknown> | null;
  @Column('text', { default: '' }) description: string;
  /** Archived: hidden from lists by default, webhooks refused (it is paused too), and deletable. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('sync_versions')
export class SyncVersionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('int') version: number;
  /** draft → active → inactive; an activated version never changes again. */
  @Column('text') state: 'draft' | 'active' | 'inactive';
  @Column('jsonb') definition: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'activated_at', nullable: true }) activatedAt: Date | null;
  /** What the activation gate decided (test cases passed, none saved, or overridden), set on activation. */
  @Column('jsonb', { name: 'activation_check', nullable: true }) activationCheck: Record<string, unknown> | null;
}

@Entity('inbound_keys')
export class InboundKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('text') name: string;
  @Column('text') lookup: string;
  @Column('text') hash: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  /** Set on the old key when it is rotated: it keeps working until then. */
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
}

/** Written by the data-plane worker (plain SQL); read here. */
@Entity('delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('int', { name: 'sync_version' }) syncVersion: number;
  @Column('int') attempt: number;
  @Column('text') outcome: DeliveryOutcomeName;
  @Column('text', { name: 'entity_id', nullable: true }) entityId: string | null;
  @Column('int', { name: 'target_status', nullable: true }) targetStatus: number | null;
  @Column('int', { name: 'duration_ms' }) durationMs: number;
  @Column('text', { nullable: true }) error: string | null;
  @Column('text', { name: 'trace_id', nullable: true }) traceId: string | null;
  /** Host of the target called. */
  @Column('text', { nullable: true }) target: string | null;
  /** 0: the event as received; n: its n-th replay (each replay is its own attempt series). */
  @Column('int', { default: 0 }) replay: number;
  @Column('text', { name: 'response_excerpt', nullable: true }) responseExcerpt: string | null;
  @Column('timestamptz', { name: 'next_retry_at', nullable: true }) nextRetryAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('dead_letters')
export class DeadLetterEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('int', { name: 'sync_version' }) syncVersion: number;
  @Column('text') reason: string;
  @Column('int') attempts: number;
  @Column('int', { name: 'last_status', nullable: true }) lastStatus: number | null;
  @Column('text', { name: 'last_response', nullable: true }) lastResponse: string | null;
  @Column('text', { name: 'trace_id', nullable: true }) traceId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** Set when the event was published again (replayDeadLetters); a second replay sends nothing. */
  @Column('timestamptz', { name: 'replayed_at', nullable: true }) replayedAt: Date | null;
  @Column('int', { name: 'replayed_version', nullable: true }) replayedVersion: number | null;
}

@Entity('sync_signature_secrets')
export class SignatureSecretEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('text', { name: 'secret_ciphertext' }) secretCiphertext: string;
  @Column('text', { name: 'key_id' }) keyId: string;
  @Column('text') fingerprint: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
}

@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text') actor: string;
  @Column('uuid', { name: 'token_id', nullable: true }) tokenId: string | null;
  @Column('text') operation: string;
  @Column('text') outcome: string;
  @Column('text', { name: 'target_type', nullable: true }) targetType: string | null;
  @Column('text', { name: 'target_id', nullable: true }) targetId: string | null;
  @Column('jsonb', { nullable: true }) input: object | null;
  @Column('jsonb', { nullable: true }) before: object | null;
  @Column('jsonb', { nullable: true }) after: object | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('sync_templates')
export class SyncTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** null: shared by an operator with every tenant. */
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text') name: string;
  @Column('text') description: string;
  @Column('jsonb') parameters: { name: string; description: string; required: boolean; default: string | null }[];
  @Column('jsonb') definition: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** One circuit breaker per target (host + credential). Written by the data-plane worker (plain SQL); read here. */
@Entity('target_circuits')
export class TargetCircuitEntity {
  @PrimaryColumn('text') target: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text') host: string;
  @Column('uuid', { name: 'credential_id', nullable: true }) credentialId: string | null;
  @Column('text') state: 'closed' | 'open' | 'half_open';
  @Column('int') failures: number;
  @Column('text', { name: 'last_failure', nullable: true }) lastFailure: string | null;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'half_opened_at', nullable: true }) halfOpenedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** One token bucket per target, shared by every worker. Written by the data-plane worker; read here. */
@Entity('target_rate_buckets')
export class TargetRateBucketEntity {
  @PrimaryColumn('text') target: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text') host: string;
  @Column('uuid', { name: 'credential_id', nullable: true }) credentialId: string | null;
  @Column('double precision', { name: 'rate_per_sec' }) ratePerSec: number;
  @Column('double precision') utilisation: number;
  @Column('double precision', { name: 'peak_utilisation' }) peakUtilisation: number;
  @Column('int') threshold: number;
  @Column('timestamptz', { name: 'threshold_at', nullable: true }) thresholdAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

export const ENTITIES = [
  SandboxRunEntity, SyncTestCaseEntity,
  ...BULK_ENTITIES,
  TargetCircuitEntity, TargetRateBucketEntity,
  SignatureSecretEntity, AuditEntryEntity, SyncTemplateEntity,
  TenantEntity, ProjectEntity, ApiTokenEntity, CredentialEntity, SyncEntity, SyncVersionEntity,
  InboundKeyEntity, DeliveryAttemptEntity, DeadLetterEntity,
];
