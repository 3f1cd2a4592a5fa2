import 'reflect-metadata';
import { openDatabase } from './db/data-source';
import { loadMigrationEnv } from './env';
import { logger } from './logger';

/**
 * `node control-plane/dist/migrate.js`: applies pending migrations and exits (the Kubernetes Job and
 * the compose `migrate` service). The control plane still migrates on start, under the same
 * advisory lock, so running both is safe; the job just moves the wait out of the rollout.
 */
async function main(): Promise<void> {
  const ds = await openDatabase(loadMigrationEnv().HUB_DATABASE_URL);
  const applied = await ds.query('SELECT name FROM migrations ORDER BY id') as { name: string }[];
  logger.info({ migrations: applied.map((m) => m.name) }, 'database schema up to date');
  await ds.destroy();
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'migration failed');
  process.exit(1);
});
