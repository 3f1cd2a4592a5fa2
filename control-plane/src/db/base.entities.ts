import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
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
}

@Entity('syncs')
export class SyncEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'project_id' }) projectId: string;
  @Column('text') name: string;
  @Column('int', { name: 'active_version', nullable: true }) activeVersion: number | null;
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
  @Column('text') outcome: string;
  @Column('text', { name: 'entity_id', nullable: true }) entityId: string | null;
  @Column('int', { name: 'target_status', nullable: true }) targetStatus: number | null;
  @Column('int', { name: 'duration_ms' }) durationMs: number;
  @Column('text', { nullable: true }) error: string | null;
  @Column('text', { name: 'trace_id', nullable: true }) traceId: string | null;
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
}

export const ENTITIES = [
  TenantEntity, ProjectEntity, ApiTokenEntity, CredentialEntity, SyncEntity, SyncVersionEntity,
  InboundKeyEntity, DeliveryAttemptEntity, DeadLetterEntity,
];
