import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { DeadLetter, DeadLetterReplay } from './delivery.types';
import { MAX_REPLAY_BATCH } from './dead-letter.replay';

@Resolver()
export class DeadLetterResolver {
  @Mutation(() => [DeadLetterReplay], {
    description: `Sends dead-lettered events of a sync through the pipeline again (same event id, a new attempt series). Each dead letter is replayed at most once; a second replay sends nothing and says why. Without ids: the oldest ${MAX_REPLAY_BATCH} not yet replayed.`,
  })
  async replayDeadLetters(
    @Arg('syncId', () => ID) syncId: string,
    @Arg('ids', () => [ID], { nullable: true, description: `At most ${MAX_REPLAY_BATCH}; default: every dead letter of the sync not yet replayed (up to ${MAX_REPLAY_BATCH} per call)` }) ids: string[] | undefined,
    @Arg('version', () => Int, { nullable: true, description: "Replay with this version, which must be the sync's active one (e.g. after fixing the mapping); default: each event's own version" }) version: number | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<DeadLetterReplay[]> {
    const scope = ctx.tenant('write');
    const { sync, before, results } = await ctx.services.replays.replay(scope, syncId, ids ?? undefined, version ?? undefined);
    ctx.audit.record({ targetType: 'Sync', targetId: sync.id, before: before.map(DeadLetter.from), after: results });
    return results;
  }
}
