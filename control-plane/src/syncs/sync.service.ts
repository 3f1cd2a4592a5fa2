import { ConfigChangeKind } from '@datahub/proto';
import { ProjectEntity, SyncEntity, SyncVersionEntity } from '../db/base.entities';
import type { ConfigBus } from '../bus/config.publisher';
import { Conflict, InvalidInput } from '../common/errors';
import { fromGlobalId, toGlobalId } from '../common/global-id';
import type { TenantScope } from '../common/tenant.scope';
import { requireName } from '../common/validate';
import { compileSyncPlan } from './sync.compile';
import { withDefaults } from './sync.defaults';
import type { SyncDefinition } from './sync.definition';
import type { CreateSyncInput, SyncDefinitionInput } from './sync.types';
import type { SyncValidator } from './sync.validate';

/** Decides whether a version may go live (the sandbox's test cases; see control-plane/src/sandbox/README.md). */
export interface ActivationGate {
  check(scope: TenantScope, sync: SyncEntity, version: number, override: { reason: string; admin: boolean } | null): Promise<object>;
}

export class SyncService {
  constructor(private readonly validator: SyncValidator, private readonly bus: ConfigBus, private readonly gate: ActivationGate | null = null) {}

  /** A new sync with its definition as draft version 1. */
  async create(scope: TenantScope, input: CreateSyncInput): Promise<SyncEntity> {
    const name = requireName(input.name, 'input.name');
    const project = await scope.loadRaw(ProjectEntity, 'Project', fromGlobalId('Project', input.projectId, 'input.projectId'));
    const definition = await this.validator.definition(scope, await withDefaults(scope, project.id, input, 'input'));
    return scope.ds.transaction(async (tx) => {
      const now = new Date();
      const sync = await tx.getRepository(SyncEntity).save({
        tenantId: scope.tenantId, projectId: project.id, name, activeVersion: null, createdAt: now, updatedAt: now,
      });
      await tx.getRepository(SyncVersionEntity).save({
        syncId: sync.id, tenantId: scope.tenantId, version: 1, state: 'draft', definition, activatedAt: null,
      });
      return sync;
    });
  }

  /** Edits the draft in place, or opens a new draft version when the latest one was activated. */
  async saveDraft(scope: TenantScope, syncGlobalId: string, input: SyncDefinitionInput): Promise<SyncVersionEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    const definition = await this.validator.definition(scope, await withDefaults(scope, sync.projectId, input, 'definition'), 'definition');
    const repo = scope.repo(SyncVersionEntity);
    const latest = await repo.findOne({ where: scope.where<SyncVersionEntity>({ syncId: sync.id }), order: { version: 'DESC' } });
    if (latest?.state === 'draft') {
      latest.definition = definition;
      return repo.save(latest);
    }
    return repo.save({ syncId: sync.id, tenantId: scope.tenantId, version: (latest?.version ?? 0) + 1, state: 'draft', definition, activatedAt: null });
  }

  /**
   * Makes `version` the one webhooks run: re-validates it (credentials may have gone), compiles and
   * stores its SyncPlan, freezes it, and tells the data plane. Activating an older version is the rollback.
   */
  async activate(scope: TenantScope, syncGlobalId: string, version: number, override: { reason: string; admin: boolean } | null = null): Promise<SyncEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    const row = await scope.repo(SyncVersionEntity).findOneBy(scope.where<SyncVersionEntity>({ syncId: sync.id, version }));
    if (!row) throw new InvalidInput('version', `Sync has no version ${version}`);
    if (sync.activeVersion === version) return sync;
    const definition = row.definition as SyncDefinition;
    await this.validator.definition(scope, toInput(definition), 'version');
    // Before anything changes: a version whose test cases fail stays where it is.
    const check = this.gate ? await this.gate.check(scope, sync, version, override) : null;
    const plan = compileSyncPlan({ syncId: sync.id, version, tenantId: scope.tenantId, projectId: sync.projectId }, definition);
    const updated = await scope.ds.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO sync_plans (sync_id, version, tenant_id, plan) VALUES ($1, $2, $3, $4) ON CONFLICT (sync_id, version) DO NOTHING`,
        [sync.id, version, scope.tenantId, Buffer.from(plan)],
      );
      await tx.query(`UPDATE sync_versions SET state = 'inactive' WHERE sync_id = $1 AND state = 'active'`, [sync.id]);
      await tx.query(`UPDATE sync_versions SET state = 'active', activated_at = COALESCE(activated_at, now()), activation_check = $2 WHERE id = $1`, [row.id, check && JSON.stringify(check)]);
      sync.activeVersion = version;
      sync.updatedAt = new Date();
      return tx.getRepository(SyncEntity).save(sync);
    });
    await this.bus.publish({ kind: ConfigChangeKind.SYNC_ACTIVATED, tenantId: scope.tenantId, syncId: sync.id });
    return updated;
  }

  /**
   * Pauses (`paused: true`) or resumes a sync; idempotent. While paused, ingress refuses its webhooks
   * with 409 sync_paused (the origin keeps the event and retries); events already queued are still
   * delivered. ConfigChanged makes every ingress re-read the key rows that carry paused_at.
   */
  async setPaused(scope: TenantScope, syncGlobalId: string, paused: boolean): Promise<{ before: SyncEntity; after: SyncEntity }> {
    const before = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'id');
    if (!paused && before.archivedAt) throw new Conflict('This sync is archived: unarchiveSync first, then resumeSync');
    if ((before.pausedAt !== null) !== paused) {
      await scope.repo(SyncEntity).update(scope.where<SyncEntity>({ id: before.id }), { pausedAt: paused ? new Date() : null, updatedAt: new Date() });
    }
    // Also when nothing changed: a repeated call heals an announcement that was lost.
    await this.bus.publish({ kind: paused ? ConfigChangeKind.SYNC_DEACTIVATED : ConfigChangeKind.SYNC_ACTIVATED, tenantId: scope.tenantId, syncId: before.id });
    return { before, after: await scope.loadRaw(SyncEntity, 'Sync', before.id) };
  }
}

/** A stored definition back in input shape, to re-run validation on activation. */
function toInput(d: SyncDefinition): SyncDefinitionInput {
  const ep = (e: NonNullable<SyncDefinition['target']>) => ({ ...e, credentialId: toGlobalId('Credential', e.credentialId) });
  return {
    trigger: { kind: d.trigger.kind as never, idParam: d.trigger.idParam },
    source: d.source ? ep(d.source) : undefined,
    mapping: d.mapping,
    filter: d.filter ?? undefined,
    target: d.target ? ep(d.target) : undefined,
    destination: d.destination ? { ...d.destination, destinationId: toGlobalId('Destination', d.destination.destinationId) } : undefined,
    delivery: d.delivery ?? undefined,
  };
}
