import { Arg, Args, Ctx, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { paginate } from '../common/paginate';
import { Connection, ConnectionArgs } from '../common/relay';
import { EventTypeEntity } from '../destinations/destination.entity';
import { DeclareEventTypeInput, EventType, PublishBusinessEventInput, PublishBusinessEventPayload } from './event-type.types';

@ObjectType() class EventTypeConnection extends Connection(EventType) {}

@Resolver(() => EventType)
export class EventTypeResolver {
  @Query(() => EventTypeConnection, { description: 'Business event types the tenant declared' })
  async eventTypes(@Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(EventTypeEntity), scope.where<EventTypeEntity>(), args, EventType.from);
  }

  @Mutation(() => EventType, { description: 'Declares a business event type with its JSON Schema (or replaces the schema). Idempotent.' })
  async declareEventType(@Arg('input') input: DeclareEventTypeInput, @Ctx() ctx: RequestContext): Promise<EventType> {
    return EventType.from(await ctx.services.eventTypes.declare(ctx.tenant('write'), input));
  }

  @Mutation(() => PublishBusinessEventPayload, {
    description: "Validates data against the type's schema (BAD_USER_INPUT with extensions.pointer, a JSON pointer, when it does not match) and sends it to every enabled destination whose eventTypes take it",
  })
  async publishBusinessEvent(@Arg('input') input: PublishBusinessEventInput, @Ctx() ctx: RequestContext): Promise<PublishBusinessEventPayload> {
    return ctx.services.eventTypes.publish(ctx.tenant('write'), input);
  }
}
