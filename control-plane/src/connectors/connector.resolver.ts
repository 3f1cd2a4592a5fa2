import { compatibility, connectorRegistry } from '@datahub/connectors';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { InvalidInput } from '../common/errors';
import { CompatibilityReport } from './compatibility.types';
import { Connector } from './connector.types';

@Resolver(() => Connector)
export class ConnectorResolver {
  @Query(() => [Connector], { description: 'The connector catalog' })
  connectors(@Ctx() ctx: RequestContext): Connector[] {
    ctx.tenant();
    return connectorRegistry().list().map(Connector.from);
  }

  @Query(() => CompatibilityReport, {
    description: 'What a sync from one connector to another can use (triggers, operations, fields that map, auth, formats) and what it still needs, from the connector manifests',
  })
  compatibility(@Arg('source') source: string, @Arg('target') target: string, @Ctx() ctx: RequestContext): CompatibilityReport {
    ctx.tenant();
    const registry = connectorRegistry();
    const known = () => registry.list().map((m) => m.id).join(', ');
    const s = registry.get(source);
    if (!s) throw new InvalidInput('source', `Unknown connector "${source}"; known: ${known()}`);
    const t = registry.get(target);
    if (!t) throw new InvalidInput('target', `Unknown connector "${target}"; known: ${known()}`);
    return CompatibilityReport.from(compatibility(s, t));
  }
}
