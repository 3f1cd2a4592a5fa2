import { connectorRegistry } from '@datahub/connectors';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/context';
import type { SyncDefinition } from '../syncs/sync.definition';
import { Sync } from '../syncs/sync.types';
import { TriggerSetup } from './trigger-setup.types';

const registry = connectorRegistry();

/**
 * Central trigger setup where the origin has no webhooks API: what a person pastes into the
 * platform, from the sync's own definition (active version, else the newest) and the origin's
 * manifest (`triggerSetup`: its placeholder syntax and how to find the properties the mapping reads).
 */
@Resolver(() => Sync)
export class TriggerSetupResolver {
  @FieldResolver(() => TriggerSetup, { nullable: true, description: 'Settings to paste into the origin platform (null when its manifest describes none, e.g. a push sync without a source)' })
  async triggerSetup(@Root() sync: Sync, @Ctx() ctx: RequestContext): Promise<TriggerSetup | null> {
    const versions = await ctx.loaders.versionsBySync.load(sync.rawId);
    const version = versions.find((v) => v.version === sync.activeVersion) ?? [...versions].sort((a, b) => b.version - a.version)[0];
    if (!version) return null;
    return triggerSetupOf(version.definition as SyncDefinition, ctx.services.inboundKeys.hooksUrl());
  }
}

export function triggerSetupOf(def: SyncDefinition, hooksUrl: string): TriggerSetup | null {
  const connector = def.source?.connector;
  const spec = connector ? registry.get(connector)?.triggerSetup : undefined;
  if (!connector || !spec) return null;
  const notify = def.trigger.kind === 'notify';
  const idParam = encodeURIComponent(def.trigger.idParam || 'id');
  const watched = new Set<string>();
  if (spec.watchedFieldPattern) for (const m of def.mapping.matchAll(new RegExp(spec.watchedFieldPattern, 'g'))) if (m[1]) watched.add(m[1]);
  return {
    connector,
    method: notify ? 'GET' : 'POST',
    // The placeholder stays as the platform writes it: BlueConic substitutes {{id}} itself.
    url: notify ? `${hooksUrl}?${idParam}=${spec.placeholder}` : hooksUrl,
    headers: [
      { name: 'Api-Key', value: "this sync's inbound key (createInboundKey shows it once)" },
      ...(notify ? [] : [{ name: 'Content-Type', value: 'application/json' }]),
    ],
    watchedProperties: [...watched].sort(),
    instructions: spec.instructions,
    docs: spec.docs ?? null,
  };
}
