import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTenant, setupScenario2 } from '../demo/scenarios';
import { seedProfiles, startRun, waitFor, waitForRun } from './bulk.helpers';
import { startTestStack, type TestStack } from './test.stack';

const SCHEDULER_MAIN = join(__dirname, '..', '..', '..', 'data-plane', 'dist', 'main.js');

/** A scheduler as its own OS process (as npm start runs it), with its output kept for assertions. */
function startSchedulerProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [SCHEDULER_MAIN, 'scheduler'], { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

describe('scheduler failover: a bulk run survives its leader being killed', () => {
  const PROFILES = 2_000;
  let stack: TestStack;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ activecampaignRateLimitPerSec: 10_000 });
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await stack?.stop();
  });

  it('one scheduler leads, the stand-by takes over on SIGKILL and resumes from the last checkpoint; every record arrives', async () => {
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Failover');
    // Paced by the engine's limiter (300/s) and a small in-flight bound, so the run is still going when the leader dies.
    const s = await setupScenario2(stack.graphqlUrl, t.token, t.projectId, stack.accounts, {
      sync: { delivery: { rateLimitPerSec: 300 } }, bulk: { pageSize: 100, maxInFlight: 200 },
    });
    seedProfiles(stack.blueconic, PROFILES);

    const a = startSchedulerProcess(stack.env);
    children.push(a.child);
    await waitFor('scheduler A to lead', () => a.output().includes('became the leader'), 30_000);
    const b = startSchedulerProcess(stack.env);
    children.push(b.child);
    await waitFor('scheduler B to start', () => b.output().includes('waiting for leadership'), 30_000);
    expect(b.output()).not.toContain('became the leader');

    const run = await startRun(stack.graphqlUrl, t.token, s.syncId);
    await waitForRun(stack.graphqlUrl, t.token, run.id, 60_000, (r) => r.progress.pages >= 5);
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    const atKill = (await db.query('SELECT pages, cursor, state FROM bulk_runs')).rows[0];
    await db.end();
    expect(atKill.state).toBe('running');
    expect(atKill.pages).toBeLessThan(PROFILES / 100);

    await waitFor('scheduler B to take over', () => b.output().includes('became the leader'), 30_000);
    const done = await waitForRun(stack.graphqlUrl, t.token, run.id, 90_000);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.progress.records).toBeGreaterThanOrEqual(PROFILES);
    expect(done.progress.failed).toBe(0);
    // At least once: every profile reached ActiveCampaign.
    expect(stack.activecampaign.contacts()).toHaveLength(PROFILES);
    // Resumed, not restarted: the first page was read once, and at most the page in hand at the kill twice.
    const reads = stack.blueconic.requests.filter((r) => r.path.includes('/segments/'));
    expect(reads.filter((r) => r.query.cursor === '*')).toHaveLength(1);
    expect(new Set(reads.map((r) => r.query.cursor)).size).toBe(PROFILES / 100);
    expect(reads.length).toBeLessThanOrEqual(PROFILES / 100 + 1);

    b.child.kill('SIGTERM');
    expect(await new Promise((r) => b.child.once('exit', (code) => r(code)))).toBe(0);
  }, 180_000);
});
