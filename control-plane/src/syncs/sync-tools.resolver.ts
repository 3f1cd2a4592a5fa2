import jsonata from 'jsonata';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { InvalidInput } from '../common/errors';
import { requireText } from '../common/validate';
import { SyncEntity, SyncVersionEntity } from '../db/base.entities';
import { diffJson } from './sync.diff';
import { describeJsonataError } from './sync.validate';
import { MappingPreview, PreviewMappingInput, SyncVersionChange } from './sync-tools.types';

const PREVIEW_TIMEOUT_MS = 1_000;

async function run(expression: string, input: unknown): Promise<unknown> {
  const expr = jsonata(expression);
  return Promise.race([
    expr.evaluate(input),
    new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error(`evaluation took longer than ${PREVIEW_TIMEOUT_MS} ms`), { position: null })), PREVIEW_TIMEOUT_MS).unref()),
  ]);
}

@Resolver()
export class SyncToolsResolver {
  @Query(() => MappingPreview, { description: 'Runs a mapping (and filter) on a sample record: the output, or the JSONata error with its position.' })
  async previewMapping(@Arg('input') input: PreviewMappingInput, @Ctx() ctx: RequestContext): Promise<MappingPreview> {
    ctx.tenant();
    const sample = { record: input.record, event: { id: 'preview', entityId: 'preview', attempt: 1 } };
    let passesFilter: boolean | null = null;
    if (input.filter) {
      try {
        passesFilter = !!(await run(requireText(input.filter, 'input.filter', 20_000), sample));
      } catch (e) {
        return { output: null, passesFilter: null, error: { ...describeJsonataError(e), in: 'filter' } };
      }
    }
    try {
      return { output: (await run(requireText(input.mapping, 'input.mapping', 20_000), sample)) ?? null, passesFilter, error: null };
    } catch (e) {
      return { output: null, passesFilter, error: { ...describeJsonataError(e), in: 'mapping' } };
    }
  }

  @Query(() => [SyncVersionChange], { description: 'What changed between two versions of a sync' })
  async diffSyncVersions(
    @Arg('syncId', () => ID) syncId: string, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number, @Ctx() ctx: RequestContext,
  ): Promise<SyncVersionChange[]> {
    const scope = ctx.tenant();
    const sync = await scope.load(SyncEntity, 'Sync', syncId, 'syncId');
    const load = async (version: number, field: string) => {
      const row = await scope.repo(SyncVersionEntity).findOneBy(scope.where<SyncVersionEntity>({ syncId: sync.id, version }));
      if (!row) throw new InvalidInput(field, `Sync has no version ${version}`);
      return row.definition;
    };
    return diffJson(await load(from, 'from'), await load(to, 'to'));
  }
}
