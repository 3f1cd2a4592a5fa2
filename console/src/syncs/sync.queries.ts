import { graphql } from '../api/graphql';

export const PickListsQuery = graphql(`query PickLists {
  viewer { tenant { projects(first: 100) { edges { node { id name } } } } }
  credentials(first: 100, orderBy: CREATED_AT_DESC) { edges { node { id name kind } } }
}`);

export const CreateSync = graphql(`mutation CreateSync($input: CreateSyncInput!) { createSync(input: $input) { id name } }`);
export const SaveDraft = graphql(`mutation SaveDraft($syncId: ID!, $definition: SyncDefinitionInput!) { saveSyncDraft(syncId: $syncId, definition: $definition) { id version state } }`);
export const ActivateVersion = graphql(`mutation ActivateVersion($syncId: ID!, $version: Int!, $override: ActivationOverrideInput) {
  activateSyncVersion(syncId: $syncId, version: $version, override: $override) { id activeVersion versions { version activationCheck { status warning } } }
}`);

export const SyncQuery = graphql(`query Sync($id: ID!) {
  sync(id: $id) {
    id name description archivedAt projectId activeVersion pausedAt createdAt updatedAt
    versions { id version state mapping filter createdAt activatedAt
      activationCheck { status warning overrideReason }
      trigger { kind idParam }
      source { connector operation credentialId baseUrl params credential { id name } }
      target { connector operation credentialId baseUrl params credential { id name } }
      delivery { retryScheduleSec timeoutMs rateLimitPerSec }
    }
  }
}`);
