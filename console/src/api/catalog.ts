import type { ResultOf } from 'gql.tada';
import { graphql } from './graphql';
import { useQuery } from './hooks';

export const ConnectorsQuery = graphql(`query Connectors {
  connectors { id name docs baseUrlTemplate auth operations { name kind description } params { name description required default } fields { name type description } }
}`);
export type Connector = ResultOf<typeof ConnectorsQuery>['connectors'][number];

/** The connector catalog (small and fixed while the console runs). */
export function useCatalog() {
  return useQuery(ConnectorsQuery, {});
}
