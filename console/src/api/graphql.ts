import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../graphql-env.d.ts';

/**
 * Documents typed from control-plane/schema.graphql (src/graphql-env.d.ts is generated from it by
 * `npm run gen -w @datahub/console`, which the root `npm run schema:print` runs): a schema change
 * that breaks a query or its use fails the type check.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTimeISO: string; JSON: unknown; JSONObject: Record<string, unknown>; ID: string };
}>();

export type { ResultOf, VariablesOf, TadaDocumentNode } from 'gql.tada';
