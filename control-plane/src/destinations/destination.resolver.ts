import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { paginate } from '../common/paginate';
import { Connection, ConnectionArgs } from '../common/relay';
import { DestinationBatchEntity, DestinationEntity } from './destination.entity';
import {
  CreateDestinationInput, CreateDestinationPayload, DeleteDestinationPayload, Destination, DestinationDelivery, DestinationSecret,
  RotateDestinationSecretPayload, UpdateDestinationInput, WebhookTestResult,
} from './destination.types';

@ObjectType() class DestinationConnection extends Connection(Destination) {}
@ObjectType() class DestinationDeliveryConnection extends Connection(DestinationDelivery) {}

@Resolver(() => Destination)
export class DestinationResolver {
  @Query(() => DestinationConnection, { description: 'Webhook destinations of the tenant' })
  async destinations(@Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(DestinationEntity), scope.where<DestinationEntity>(), args, Destination.from);
  }

  @Query(() => Destination)
  async destination(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Destination> {
    return Destination.from(await ctx.tenant().load(DestinationEntity, 'Destination', id, 'id'));
  }

  @FieldResolver(() => [DestinationSecret], { description: 'Secrets signing now (several during a rotation), oldest first' })
  async secrets(@Root() d: Destination, @Ctx() ctx: RequestContext): Promise<DestinationSecret[]> {
    return (await ctx.services.destinations.activeSecrets(ctx.tenant(), d.rawId)).map(DestinationSecret.from);
  }

  @FieldResolver(() => DestinationDeliveryConnection, { description: 'Batches sent to it, newest first' })
  async deliveries(@Root() d: Destination, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant();
    return paginate(scope.repo(DestinationBatchEntity), scope.where<DestinationBatchEntity>({ destinationId: d.rawId }), args, DestinationDelivery.from, 'DESC');
  }

  @Mutation(() => CreateDestinationPayload, { description: 'A webhook destination; the signing secret is shown once.' })
  async createDestination(@Arg('input') input: CreateDestinationInput, @Ctx() ctx: RequestContext): Promise<CreateDestinationPayload> {
    const scope = ctx.tenant('write');
    const { id, secret } = await ctx.services.idempotency.once(scope, 'createDestination', input, async () => {
      const created = await ctx.services.destinations.create(scope, input);
      return { id: created.row.id, secret: created.secret };
    });
    return { destination: Destination.from(await scope.loadRaw(DestinationEntity, 'Destination', id)), signingSecret: secret! };
  }

  @Mutation(() => Destination)
  async updateDestination(@Arg('input') input: UpdateDestinationInput, @Ctx() ctx: RequestContext): Promise<Destination> {
    const { before, after } = await ctx.services.destinations.update(ctx.tenant('write'), input);
    ctx.audit.record({ before: Destination.from(before), after: Destination.from(after) });
    return Destination.from(after);
  }

  @Mutation(() => Destination, { description: 'Turns deliveries on again (also after an automatic disable).' })
  async enableDestination(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Destination> {
    return Destination.from(await ctx.services.destinations.setEnabled(ctx.tenant('write'), id, true));
  }

  @Mutation(() => Destination, { description: 'Stops deliveries; events for it are not queued while it is off.' })
  async disableDestination(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Destination> {
    return Destination.from(await ctx.services.destinations.setEnabled(ctx.tenant('write'), id, false));
  }

  @Mutation(() => DeleteDestinationPayload)
  async deleteDestination(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DeleteDestinationPayload> {
    const row = await ctx.services.destinations.delete(ctx.tenant('write'), id);
    ctx.audit.record({ before: Destination.from(row) });
    return { deletedId: id };
  }

  @Mutation(() => RotateDestinationSecretPayload, { description: 'A new signing secret; the current ones keep signing for overlapSec, then expire.' })
  async rotateDestinationSecret(
    @Arg('id', () => ID) id: string, @Arg('overlapSec', () => Int, { defaultValue: 86_400 }) overlapSec: number, @Ctx() ctx: RequestContext,
  ): Promise<RotateDestinationSecretPayload> {
    const r = await ctx.services.destinations.rotateSecret(ctx.tenant('write'), id, overlapSec);
    return { destination: Destination.from(r.row), signingSecret: r.secret, secret: DestinationSecret.from(r.secretRow) };
  }

  @Mutation(() => WebhookTestResult, { description: "Sends the webhooks guide's test payload (resource_type webhook_test, test: true) to the destination now." })
  async sendTestWebhook(@Arg('destinationId', () => ID) destinationId: string, @Ctx() ctx: RequestContext): Promise<WebhookTestResult> {
    return ctx.services.destinations.sendTest(ctx.tenant('write'), destinationId);
  }
}
