import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A webhook the hub registered at a sync's origin (installTrigger); see migration 1732800000000. */
@Entity('sync_triggers')
export class SyncTriggerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'sync_id' }) syncId: string;
  @Column('uuid', { name: 'inbound_key_id' }) inboundKeyId: string;
  @Column('text') connector: string;
  @Column('text', { name: 'remote_id' }) remoteId: string;
  @Column('text', { name: 'url_masked' }) urlMasked: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
