import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { toGlobalId } from '../common/global-id';
import { Credential } from '../credentials/credential.types';
import { Sync } from '../syncs/sync.types';
import { SyncTemplate } from '../templates/template.types';
import { Project } from '../tenants/tenant.types';
import { Deleted, RenameInput, UpdateSyncInput, UpdateSyncTemplateInput } from './lifecycle.types';

/** Rename, describe, archive and delete; every change goes to the audit log with the object before and after. */
@Resolver()
export class LifecycleResolver {
  @Mutation(() => Sync, { description: 'Renames a sync and/or changes its description (a version stays as it is).' })
  async updateSync(@Arg('input') input: UpdateSyncInput, @Ctx() ctx: RequestContext): Promise<Sync> {
    const { before, after } = await ctx.services.lifecycle.updateSync(ctx.tenant('write'), input.id, input);
    return this.audited(ctx, Sync.from(before), Sync.from(after));
  }

  @Mutation(() => Sync, { description: 'Archives a sync: its webhooks are refused within a second (it is paused too), syncs leaves it out unless asked for archived ones, and it can then be deleted. Idempotent.' })
  async archiveSync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Sync> {
    const { before, after } = await ctx.services.lifecycle.archiveSync(ctx.tenant('write'), id, true);
    await ctx.services.triggers.removeQuietly(ctx.tenant('write'), after.id, true);
    return this.audited(ctx, Sync.from(before), Sync.from(after));
  }

  @Mutation(() => Sync, { description: 'Takes a sync out of the archive; it stays paused until resumeSync. Idempotent.' })
  async unarchiveSync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Sync> {
    const { before, after } = await ctx.services.lifecycle.archiveSync(ctx.tenant('write'), id, false);
    return this.audited(ctx, Sync.from(before), Sync.from(after));
  }

  @Mutation(() => Deleted, { description: 'Deletes an archived sync (CONFLICT otherwise) with its versions, inbound keys, test cases and sandbox runs. Its delivery log stays until retention removes it.' })
  async deleteSync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Deleted> {
    const row = await ctx.services.lifecycle.deleteSync(ctx.tenant('write'), id);
    ctx.audit.record({ targetType: 'Sync', targetId: row.id, before: Sync.from(row), after: null });
    return { id: toGlobalId('Sync', row.id) };
  }

  @Mutation(() => Credential, { description: 'Renames a credential (the secret is unchanged; rotateCredential changes it).' })
  async renameCredential(@Arg('input') input: RenameInput, @Ctx() ctx: RequestContext): Promise<Credential> {
    const { before, after } = await ctx.services.lifecycle.renameCredential(ctx.tenant('write'), input.id, input.name);
    return this.audited(ctx, Credential.from(before), Credential.from(after));
  }

  @Mutation(() => Deleted, { description: 'Deletes a credential and its secret. CONFLICT (extensions.usedBy: sync names) while an active version or a sandbox target uses it.' })
  async deleteCredential(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Deleted> {
    const row = await ctx.services.lifecycle.deleteCredential(ctx.tenant('write'), id);
    ctx.audit.record({ targetType: 'Credential', targetId: row.id, before: Credential.from(row), after: null });
    return { id: toGlobalId('Credential', row.id) };
  }

  @Mutation(() => Project, { description: 'Renames a project.' })
  async renameProject(@Arg('input') input: RenameInput, @Ctx() ctx: RequestContext): Promise<Project> {
    const { before, after } = await ctx.services.lifecycle.renameProject(ctx.tenant('write'), input.id, input.name);
    return this.audited(ctx, Project.from(before), Project.from(after));
  }

  @Mutation(() => Deleted, { description: 'Deletes an empty project. CONFLICT while it holds syncs, or when it is the last one.' })
  async deleteProject(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Deleted> {
    const row = await ctx.services.lifecycle.deleteProject(ctx.tenant('write'), id);
    ctx.audit.record({ targetType: 'Project', targetId: row.id, before: Project.from(row), after: null });
    return { id: toGlobalId('Project', row.id) };
  }

  @Mutation(() => SyncTemplate, { description: "Renames or redescribes one of this tenant's templates (an operator token: a shared one)." })
  async updateSyncTemplate(@Arg('input') input: UpdateSyncTemplateInput, @Ctx() ctx: RequestContext): Promise<SyncTemplate> {
    const scope = ctx.principal?.kind === 'operator' ? null : ctx.tenant('write');
    const { before, after } = await ctx.services.lifecycle.updateTemplate(scope, ctx.ds.manager, input.id, input);
    return this.audited(ctx, SyncTemplate.from(before), SyncTemplate.from(after));
  }

  @Mutation(() => Deleted, { description: "Deletes one of this tenant's templates (an operator token: a shared one); syncs made from it are not touched." })
  async deleteSyncTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Deleted> {
    const scope = ctx.principal?.kind === 'operator' ? null : ctx.tenant('write');
    const row = await ctx.services.lifecycle.deleteTemplate(scope, ctx.ds.manager, id);
    ctx.audit.record({ tenantId: row.tenantId ?? undefined, targetType: 'SyncTemplate', targetId: row.id, before: SyncTemplate.from(row), after: null });
    return { id: toGlobalId('SyncTemplate', row.id) };
  }

  private audited<T>(ctx: RequestContext, before: T, after: T): T {
    ctx.audit.record({ before, after });
    return after;
  }
}
