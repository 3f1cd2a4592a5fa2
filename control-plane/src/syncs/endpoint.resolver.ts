import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Credential } from '../credentials/credential.types';
import { Endpoint } from './sync.types';

@Resolver(() => Endpoint)
export class EndpointResolver {
  @FieldResolver(() => Credential, { nullable: true, description: 'The credential (null if it was deleted)' })
  async credential(@Root() endpoint: Endpoint, @Ctx() ctx: RequestContext): Promise<Credential | null> {
    const row = await ctx.loaders.credentials.load(endpoint.rawCredentialId);
    return row ? Credential.from(row) : null;
  }
}
