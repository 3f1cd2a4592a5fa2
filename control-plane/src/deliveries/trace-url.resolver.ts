import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { DeadLetter, DeliveryAttempt } from './delivery.types';

const DESCRIPTION = 'Link to the trace of this event in the tracing UI (HUB_TRACE_URL_TEMPLATE; Jaeger by default); null without a trace id';

/** `traceUrl` beside `traceId` on the delivery log and dead letters. */
@Resolver(() => DeliveryAttempt)
export class DeliveryAttemptTraceResolver {
  @FieldResolver(() => String, { nullable: true, description: DESCRIPTION })
  traceUrl(@Root() attempt: DeliveryAttempt, @Ctx() ctx: RequestContext): string | null {
    return ctx.services.deliveries.traceUrl(attempt.traceId);
  }
}

@Resolver(() => DeadLetter)
export class DeadLetterTraceResolver {
  @FieldResolver(() => String, { nullable: true, description: DESCRIPTION })
  traceUrl(@Root() dead: DeadLetter, @Ctx() ctx: RequestContext): string | null {
    return ctx.services.deliveries.traceUrl(dead.traceId);
  }
}
