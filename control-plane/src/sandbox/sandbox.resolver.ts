import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { paginate } from '../common/paginate';
import { Connection, ConnectionArgs } from '../common/relay';
import { Endpoint, EndpointInput, Sync } from '../syncs/sync.types';
import type { EndpointDefinition } from '../syncs/sync.definition';
import { SandboxRunEntity, SyncTestCaseEntity } from './sandbox.entities';
import { CreateSyncTestCaseInput, SandboxMode, SandboxRun, SandboxSampleInput, SyncTestCase } from './sandbox.types';

@ObjectType() class SandboxRunConnection extends Connection(SandboxRun) {}

@Resolver(() => Sync)
export class SandboxResolver {
  @Mutation(() => SandboxRun, {
    description: 'Runs the real pipeline of a version (draft or active) on a sample: fetch, filter, mapping, change detection (reported, never written) '
      + 'and the exact request (secrets redacted; the OAuth 1.0a base string). Waits for a worker (UNAVAILABLE when none answers). The run is stored.',
  })
  async runSandbox(
    @Arg('syncId', () => ID) syncId: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => SandboxSampleInput) input: SandboxSampleInput,
    @Arg('mode', () => SandboxMode, { defaultValue: SandboxMode.DRY_RUN }) mode: SandboxMode,
    @Ctx() ctx: RequestContext,
  ): Promise<SandboxRun> {
    const run = await ctx.services.sandbox.run(ctx.tenant('write'), syncId, version, input, mode);
    ctx.audit.record({ targetType: 'SandboxRun', targetId: run.id });
    return SandboxRun.from(run);
  }

  @Mutation(() => SyncTestCase, { description: 'Saves a sample and the mapped payload it must produce; activateSyncVersion requires every test case to pass.' })
  async createSyncTestCase(@Arg('input') input: CreateSyncTestCaseInput, @Ctx() ctx: RequestContext): Promise<SyncTestCase> {
    const scope = ctx.tenant('write');
    const { id } = await ctx.services.idempotency.once(scope, 'createSyncTestCase', input, async () => ({ id: (await ctx.services.sandbox.createTestCase(scope, input)).id }));
    return SyncTestCase.from(await scope.loadRaw(SyncTestCaseEntity, 'SyncTestCase', id));
  }

  @Mutation(() => SyncTestCase, { description: 'Deletes a test case; returns it as it was.' })
  async deleteSyncTestCase(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<SyncTestCase> {
    const row = SyncTestCase.from(await ctx.services.sandbox.deleteTestCase(ctx.tenant('write'), id));
    ctx.audit.record({ before: row, after: null });
    return row;
  }

  @Mutation(() => Sync, { description: 'Names the endpoint SANDBOX_TARGET runs deliver to (e.g. a test database); null forgets it.' })
  async setSyncSandboxTarget(
    @Arg('syncId', () => ID) syncId: string,
    @Arg('target', () => EndpointInput, { nullable: true }) target: EndpointInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Sync> {
    const { before, after } = await ctx.services.sandbox.setSandboxTarget(ctx.tenant('write'), syncId, target ?? null);
    ctx.audit.record({ before: { sandboxTarget: before.sandboxTarget }, after: { sandboxTarget: after.sandboxTarget } });
    return Sync.from(after);
  }

  @FieldResolver(() => Endpoint, { nullable: true, description: 'Where SANDBOX_TARGET sandbox runs deliver; null: none named' })
  sandboxTarget(@Root() sync: Sync): Endpoint | null {
    return sync.sandboxTarget ? Endpoint.from(sync.sandboxTarget as unknown as EndpointDefinition) : null;
  }

  @FieldResolver(() => SandboxRunConnection, { description: 'Sandbox runs of this sync, newest first' })
  async sandboxRuns(@Root() sync: Sync, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(SandboxRunEntity), scope.where<SandboxRunEntity>({ syncId: sync.rawId }), args, SandboxRun.from, 'DESC');
  }

  @FieldResolver(() => [SyncTestCase], { description: 'Saved test cases, oldest first' })
  async testCases(@Root() sync: Sync, @Ctx() ctx: RequestContext): Promise<SyncTestCase[]> {
    const scope = ctx.tenant();
    const rows = await scope.repo(SyncTestCaseEntity).find({ where: scope.where<SyncTestCaseEntity>({ syncId: sync.rawId }), order: { createdAt: 'ASC' }, take: 200 });
    return rows.map(SyncTestCase.from);
  }
}
