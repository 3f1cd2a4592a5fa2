import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { DeadLetter, DeadLetterReplay } from './delivery.types';
import { MAX_REPLAY_BATCH } from './dead-letter.replay';

@InputType({ description: 'Which dead letters not yet replayed to replay' })
class DeadLetterFilter {
  @Field(() => String, { nullable: true, description: 'The reason contains this (case-insensitive), e.g. "422"' }) reasonContains?: string;
  @Field(() => Date, { nullable: true, description: 'Dead-lettered at or after' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Dead-lettered before' }) to?: Date;
}

@Resolver()
export class DeadLetterResolver {
  @Mutation(() => [DeadLetterReplay], {
    description: `Sends dead-lettered events through the pipeline again (same event id, a new attempt series shown beside the first in the delivery log). Each dead letter is replayed at most once; a second replay sends nothing and says why. Without ids: the oldest ${MAX_REPLAY_BATCH} not yet replayed (of the sync, or the whole tenant without syncId) that match the filter.`,
  })
  async replayDeadLetters(
    @Arg('syncId', () => ID, { nullable: true, description: 'Only dead letters of this sync; needed with version' }) syncId: string | undefined,
    @Arg('ids', () => [ID], { nullable: true, description: `At most ${MAX_REPLAY_BATCH}; default: every dead letter not yet replayed (up to ${MAX_REPLAY_BATCH} per call) matching the filter` }) ids: string[] | undefined,
    @Arg('version', () => Int, { nullable: true, description: "Replay with this version, which must be the sync's active one (e.g. after fixing the mapping); default: each event's own version" }) version: number | undefined,
    @Arg('filter', () => DeadLetterFilter, { nullable: true, description: 'Without ids: by reason and time' }) filter: DeadLetterFilter | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<DeadLetterReplay[]> {
    const scope = ctx.tenant('write');
    const { sync, before, results } = await ctx.services.replays.replay(scope, {
      syncId: syncId ?? undefined, ids: ids ?? undefined, version: version ?? undefined, filter: filter ?? undefined,
    });
    ctx.audit.record(sync
      ? { targetType: 'Sync', targetId: sync.id, before: before.map(DeadLetter.from), after: results }
      : { targetType: 'Tenant', targetId: scope.tenantId, before: before.map(DeadLetter.from), after: results });
    return results;
  }
}
