import type { ResultOf } from 'gql.tada';
import { graphql } from '../api/graphql';

export const RunFields = graphql(`fragment RunFields on SandboxRun {
  id version mode status outcome reason input mapped expected testCaseId createdAt finishedAt
  steps { step output durationMs error { message position } }
  requests { method url headers body signatureBaseString sent response { status body error } }
}`);
export type Run = ResultOf<typeof RunFields>;

export const RunSandbox = graphql(`mutation RunSandbox($syncId: ID!, $version: Int!, $mode: SandboxMode!, $input: SandboxSampleInput!) {
  runSandbox(syncId: $syncId, version: $version, mode: $mode, input: $input) { ...RunFields }
}`, [RunFields]);

export const SandboxQuery = graphql(`query SandboxData($id: ID!) {
  sync(id: $id) { id
    testCases { id name input expected createdAt }
    sandboxRuns(first: 10) { totalCount edges { node { ...RunFields } } }
  }
}`, [RunFields]);

export const CreateTestCase = graphql(`mutation CreateTestCase($input: CreateSyncTestCaseInput!) { createSyncTestCase(input: $input) { id name } }`);
export const DeleteTestCase = graphql(`mutation DeleteTestCase($id: ID!) { deleteSyncTestCase(id: $id) { id } }`);
