import { ConfigChangeKind } from '@datahub/proto';
import { IsNull, type EntityManager } from 'typeorm';
import type { ConfigBus } from '../bus/config.publisher';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../common/errors';
import { fromGlobalId } from '../common/global-id';
import type { TenantScope } from '../common/tenant.scope';
import { requireName } from '../common/validate';
import { CredentialEntity, ProjectEntity, SyncEntity, SyncTemplateEntity } from '../db/base.entities';

export interface Change<E> {
  before: E;
  after: E;
}

const MAX_DESCRIPTION_CHARS = 2_000;

/** PostgreSQL's foreign_key_violation: something newer still points at the row. */
const FK_VIOLATION = '23503';

/**
 * Renaming, describing, archiving and deleting what a tenant owns. Each call returns the row before
 * and after, for the audit log. Deleting is refused (CONFLICT, saying what to do first) while
 * something live depends on the object: an active version on a credential, syncs in a project, an
 * unarchived sync.
 */
export class LifecycleService {
  constructor(private readonly bus: ConfigBus) {}

  async updateSync(scope: TenantScope, id: string, input: { name?: string | null; description?: string | null }): Promise<Change<SyncEntity>> {
    const before = await scope.load(SyncEntity, 'Sync', id, 'input.id');
    const patch: { name?: string; description?: string; updatedAt: Date } = { updatedAt: new Date() };
    if (input.name !== undefined && input.name !== null) patch.name = requireName(input.name, 'input.name');
    if (input.description !== undefined && input.description !== null) patch.description = description(input.description, 'input.description');
    await scope.repo(SyncEntity).update(scope.where<SyncEntity>({ id: before.id }), patch);
    return { before, after: await scope.loadRaw(SyncEntity, 'Sync', before.id) };
  }

  /** Archived: paused too (ingress refuses its webhooks within a second), and left out of `syncs`. Idempotent. */
  async archiveSync(scope: TenantScope, id: string, archived: boolean): Promise<Change<SyncEntity>> {
    const before = await scope.load(SyncEntity, 'Sync', id, 'id');
    if ((before.archivedAt !== null) !== archived) {
      const now = new Date();
      await scope.repo(SyncEntity).update(scope.where<SyncEntity>({ id: before.id }),
        archived ? { archivedAt: now, pausedAt: before.pausedAt ?? now, updatedAt: now } : { archivedAt: null, updatedAt: now });
    }
    if (archived) await this.bus.publish({ kind: ConfigChangeKind.SYNC_DEACTIVATED, tenantId: scope.tenantId, syncId: before.id });
    return { before, after: await scope.loadRaw(SyncEntity, 'Sync', before.id) };
  }

  /** Deletes an archived sync with its versions, plans, keys and signature secrets; its delivery log stays until retention removes it. */
  async deleteSync(scope: TenantScope, id: string): Promise<SyncEntity> {
    const sync = await scope.load(SyncEntity, 'Sync', id, 'id');
    if (!sync.archivedAt) throw new Conflict('Only an archived sync can be deleted: archiveSync first (its webhooks stop at once)');
    await this.deleting('sync', () => scope.ds.transaction(async (tx) => {
      for (const table of ['sync_signature_secrets', 'inbound_keys', 'sync_plans', 'sync_versions']) {
        await tx.query(`DELETE FROM ${table} WHERE sync_id = $1 AND tenant_id = $2`, [sync.id, scope.tenantId]);
      }
      await tx.query(`DELETE FROM syncs WHERE id = $1 AND tenant_id = $2`, [sync.id, scope.tenantId]);
    }));
    await this.bus.publish({ kind: ConfigChangeKind.SYNC_DEACTIVATED, tenantId: scope.tenantId, syncId: sync.id });
    return sync;
  }

  async renameCredential(scope: TenantScope, id: string, name: string): Promise<Change<CredentialEntity>> {
    const before = await scope.load(CredentialEntity, 'Credential', id, 'input.id');
    await scope.repo(CredentialEntity).update(scope.where<CredentialEntity>({ id: before.id }), { name: requireName(name, 'input.name'), updatedAt: new Date() });
    return { before, after: await scope.loadRaw(CredentialEntity, 'Credential', before.id) };
  }

  /** Refused while an active version (or a sandbox target) uses it, naming those syncs. */
  async deleteCredential(scope: TenantScope, id: string): Promise<CredentialEntity> {
    const credential = await scope.load(CredentialEntity, 'Credential', id, 'id');
    const users = (await scope.ds.query(
      `SELECT s.name FROM sync_versions v JOIN syncs s ON s.id = v.sync_id
        WHERE v.tenant_id = $1 AND v.state = 'active' AND (v.definition->'source'->>'credentialId' = $2 OR v.definition->'target'->>'credentialId' = $2)
       UNION SELECT name FROM syncs WHERE tenant_id = $1 AND sandbox_target->>'credentialId' = $2
       ORDER BY 1`, [scope.tenantId, credential.id])) as { name: string }[];
    if (users.length > 0) {
      const names = users.map((u) => u.name);
      throw new Conflict(`Credential "${credential.name}" is in use by ${names.map((n) => `"${n}"`).join(', ')}: activate versions that use another credential (or delete those syncs) first`, { usedBy: names });
    }
    await this.deleting('credential', () => scope.repo(CredentialEntity).delete(scope.where<CredentialEntity>({ id: credential.id })));
    // Workers drop the decrypted secret they may hold.
    await this.bus.publish({ kind: ConfigChangeKind.CREDENTIAL_CHANGED, tenantId: scope.tenantId, credentialId: credential.id });
    return credential;
  }

  async renameProject(scope: TenantScope, id: string, name: string): Promise<Change<ProjectEntity>> {
    const before = await scope.load(ProjectEntity, 'Project', id, 'input.id');
    await scope.repo(ProjectEntity).update(scope.where<ProjectEntity>({ id: before.id }), { name: requireName(name, 'input.name') });
    return { before, after: await scope.loadRaw(ProjectEntity, 'Project', before.id) };
  }

  /** Refused while it holds syncs (archived ones too) or is the tenant's last project. */
  async deleteProject(scope: TenantScope, id: string): Promise<ProjectEntity> {
    const project = await scope.load(ProjectEntity, 'Project', id, 'id');
    const syncs = await scope.repo(SyncEntity).countBy(scope.where<SyncEntity>({ projectId: project.id }));
    if (syncs > 0) throw new Conflict(`Project "${project.name}" still holds ${syncs} sync(s): delete them (archiveSync, then deleteSync) first`);
    if ((await scope.repo(ProjectEntity).countBy(scope.where<ProjectEntity>())) === 1) throw new Conflict('A tenant keeps at least one project; create another before deleting this one');
    await this.deleting('project', () => scope.repo(ProjectEntity).delete(scope.where<ProjectEntity>({ id: project.id })));
    return project;
  }

  /** A tenant changes its own templates; an operator (`scope` null) the shared ones. */
  async updateTemplate(scope: TenantScope | null, repo: EntityManager, id: string, input: { name?: string | null; description?: string | null }): Promise<Change<SyncTemplateEntity>> {
    const before = await this.ownTemplate(scope, repo, id, 'input.id');
    const patch: { name?: string; description?: string; updatedAt: Date } = { updatedAt: new Date() };
    if (input.name !== undefined && input.name !== null) patch.name = requireName(input.name, 'input.name');
    if (input.description !== undefined && input.description !== null) patch.description = description(input.description, 'input.description');
    await repo.getRepository(SyncTemplateEntity).update({ id: before.id }, patch);
    return { before, after: await repo.getRepository(SyncTemplateEntity).findOneByOrFail({ id: before.id }) };
  }

  async deleteTemplate(scope: TenantScope | null, repo: EntityManager, id: string): Promise<SyncTemplateEntity> {
    const template = await this.ownTemplate(scope, repo, id, 'id');
    await repo.getRepository(SyncTemplateEntity).delete({ id: template.id });
    return template;
  }

  private async ownTemplate(scope: TenantScope | null, repo: EntityManager, id: string, field: string): Promise<SyncTemplateEntity> {
    const rawId = fromGlobalId('SyncTemplate', id, field);
    const row = await repo.getRepository(SyncTemplateEntity).findOne({ where: [{ id: rawId, tenantId: scope?.tenantId ?? IsNull() }, { id: rawId, tenantId: IsNull() }] });
    if (!row) throw new NotFound('SyncTemplate');
    if (scope && row.tenantId === null) throw new Forbidden('Shared templates are changed by operators; copy it into a template of your own');
    return row;
  }

  private async deleting<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: string }).code === FK_VIOLATION || (e as { driverError?: { code?: string } }).driverError?.code === FK_VIOLATION) {
        throw new Conflict(`The ${what} is still referred to by other objects (${(e as Error).message.replace(/^.*?on table "([^"]+)".*$/s, '$1')}); remove those first`);
      }
      throw e;
    }
  }
}

function description(value: string, field: string): string {
  if (value.length > MAX_DESCRIPTION_CHARS) throw new InvalidInput(field, `${field} must be at most ${MAX_DESCRIPTION_CHARS} characters`);
  return value.trim();
}
