import 'reflect-metadata';
import { printSchema } from 'graphql';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHubSchema } from './schema';

/** Writes control-plane/schema.graphql, the checked-in contract (`npm run schema:print`). */
export const SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');

if (require.main === module) {
  buildHubSchema()
    .then((schema) => writeFileSync(SCHEMA_FILE, printSchema(schema) + '\n'))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
