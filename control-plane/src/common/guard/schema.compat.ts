import { buildSchema, findBreakingChanges } from 'graphql';

/** Every change from `previousSdl` to `currentSdl` that can break a client, as `"<TYPE>: <description>"`. */
export function describeBreakingChanges(previousSdl: string, currentSdl: string): string[] {
  return findBreakingChanges(buildSchema(previousSdl), buildSchema(currentSdl)).map((c) => `${c.type}: ${c.description}`);
}

/** The breaking changes not listed in `accepted` (compared exactly, as describeBreakingChanges prints them). */
export function findUnreviewedBreakingChanges(previousSdl: string, currentSdl: string, accepted: string[]): string[] {
  const ok = new Set(accepted);
  return describeBreakingChanges(previousSdl, currentSdl).filter((c) => !ok.has(c));
}

/** What a developer reads when the check fails: the change, and the exact line that accepts it. */
export function explainUnreviewedBreakingChanges(changes: string[], contractFile: string, acceptedFile: string): string {
  return [
    `The schema the resolvers build breaks ${contractFile} for existing clients:`,
    ...changes.map((c) => `  - ${c}`),
    '',
    'Prefer a change clients can live with (deprecate before removing, add arguments as optional).',
    `If clients can live with it, add these lines to "accepted" in ${acceptedFile}:`,
    ...changes.map((c) => `    ${JSON.stringify(c)},`),
    'The accepted line is the decision, for review. Regenerating schema.graphql does not silence this check:',
    `${contractFile} is the last released schema and moves only on a release.`,
  ].join('\n');
}
