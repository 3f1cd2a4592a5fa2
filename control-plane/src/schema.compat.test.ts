import 'reflect-metadata';
import { printSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { explainUnreviewedBreakingChanges, findUnreviewedBreakingChanges } from './common/guard/schema.compat';
import { buildHubSchema } from './schema';
import { SCHEMA_FILE } from './schema.print';

/**
 * The last released schema, frozen. `npm run schema:print` never writes it, so regenerating
 * schema.graphql after a break cannot silence this test. Advancing it is a release step, made in
 * its own reviewed commit: `cp control-plane/schema.graphql control-plane/schema.baseline.graphql`,
 * and empty `accepted` in schema.breaking-changes.json (those breaks are now released).
 */
const BASELINE_FILE = join(__dirname, '..', 'schema.baseline.graphql');
const ACCEPTED_FILE = join(__dirname, '..', 'schema.breaking-changes.json');
const repoPath = (file: string) => relative(join(__dirname, '..', '..'), file);

function readAccepted(): string[] {
  const { accepted } = JSON.parse(readFileSync(ACCEPTED_FILE, 'utf8')) as { accepted?: unknown };
  if (!Array.isArray(accepted) || !accepted.every((a) => typeof a === 'string')) {
    throw new Error(`${repoPath(ACCEPTED_FILE)}: "accepted" must be a list of strings`);
  }
  return accepted;
}

// schema.test.ts keeps schema.graphql in step with the code; this test keeps the code from breaking
// what the last release promised clients until someone has decided the break is fine.
describe('schema.baseline.graphql as the contract', () => {
  it('is a file of its own, not the one schema:print regenerates', () => {
    expect(BASELINE_FILE).not.toBe(SCHEMA_FILE);
  });

  it('is not broken by the schema the resolvers build, unless the break is listed in schema.breaking-changes.json', async () => {
    const unreviewed = findUnreviewedBreakingChanges(readFileSync(BASELINE_FILE, 'utf8'), printSchema(await buildHubSchema()), readAccepted());
    if (unreviewed.length > 0) {
      throw new Error(explainUnreviewedBreakingChanges(unreviewed, repoPath(BASELINE_FILE), repoPath(ACCEPTED_FILE)));
    }
  });
});
