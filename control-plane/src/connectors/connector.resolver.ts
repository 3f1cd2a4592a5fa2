import { connectorRegistry } from '@datahub/connectors';
import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { Connector } from './connector.types';

@Resolver(() => Connector)
export class ConnectorResolver {
  @Query(() => [Connector], { description: 'The connector catalog' })
  connectors(@Ctx() ctx: RequestContext): Connector[] {
    ctx.tenant();
    return connectorRegistry().list().map(Connector.from);
  }
}
