import type { DeliveryOutcomeName } from '@datahub/proto';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('destinations')
export class DestinationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  @Column('text') url: string;
  @Column('text', { name: 'headers_ciphertext', nullable: true }) headersCiphertext: string | null;
  @Column('text', { name: 'headers_key_id', nullable: true }) headersKeyId: string | null;
  @Column('text', { name: 'header_names', array: true }) headerNames: string[];
  @Column('int', { name: 'timeout_ms' }) timeoutMs: number;
  @Column('text', { name: 'resource_types', array: true }) resourceTypes: string[];
  @Column('text', { name: 'event_types', array: true }) eventTypes: string[];
  @Column('text', { name: 'hmac_header' }) hmacHeader: string;
  @Column('int', { name: 'batch_max_events' }) batchMaxEvents: number;
  @Column('int', { name: 'batch_max_wait_ms' }) batchMaxWaitMs: number;
  @Column('boolean') enabled: boolean;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('destination_secrets')
export class DestinationSecretEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'destination_id' }) destinationId: string;
  @Column('text', { name: 'secret_ciphertext' }) secretCiphertext: string;
  @Column('text', { name: 'key_id' }) keyId: string;
  @Column('text') fingerprint: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
}

/** Written by the data plane: one row per batch (its id is the idempotency id), updated per attempt. */
@Entity('destination_batches')
export class DestinationBatchEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'destination_id' }) destinationId: string;
  @Column('text') stream: string;
  @Column('text', { name: 'resource_type' }) resourceType: string;
  @Column('int', { name: 'event_count' }) eventCount: number;
  @Column('jsonb') events: unknown[];
  @Column('text') outcome: DeliveryOutcomeName;
  @Column('int') attempts: number;
  @Column('int', { name: 'last_status', nullable: true }) lastStatus: number | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('int', { name: 'duration_ms' }) durationMs: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('event_types')
export class EventTypeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  @Column('text') description: string;
  @Column('jsonb') schema: object;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

export const DESTINATION_ENTITIES = [DestinationEntity, DestinationSecretEntity, DestinationBatchEntity, EventTypeEntity];
