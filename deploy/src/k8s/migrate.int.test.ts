import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, type TestResource } from '../test/test-env';
import { REPO_ROOT } from './kustomize.render';

const run = promisify(execFile);
// What the Kubernetes Job and the compose `migrate` service run (the built file, as in the image).
const migrate = (url: string) => run(process.execPath, [join(REPO_ROOT, 'control-plane', 'dist', 'migrate.js')], { env: { PATH: process.env.PATH, HUB_DATABASE_URL: url }, timeout: 60_000 });

describe('the migration job (node control-plane/dist/migrate.js)', () => {
  let db: TestResource;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies every migration to an empty database, exits 0, and is a no-op when run again', async () => {
    await migrate(db.url);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const applied = (await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name);
      expect(applied.length).toBeGreaterThan(3);
      const { stdout } = await migrate(db.url);
      expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ msg: 'database schema up to date', migrations: applied });
      expect((await client.query('SELECT count(*)::int AS n FROM migrations')).rows[0].n).toBe(applied.length);
    } finally {
      await client.end();
    }
  });

  it('exits non-zero with the reason when HUB_DATABASE_URL is missing', async () => {
    await expect(migrate('')).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/HUB_DATABASE_URL.*migration failed/s) });
  });
});
