import 'reflect-metadata';
import { printSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { buildHubSchema } from './schema';
import { SCHEMA_FILE } from './schema.print';

describe('schema.graphql', () => {
  it('is the schema the resolvers build (regenerate with `npm run schema:print`)', async () => {
    const built = printSchema(await buildHubSchema()) + '\n';
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(built);
  });
});
