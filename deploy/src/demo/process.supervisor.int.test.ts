import { freePort } from '../local/free-port';
import { eventually } from './graphql.client';
import { Supervisor } from './process.supervisor';

// A tiny service: answers its pid over HTTP on the port it is given, and says when it listens.
const SERVICE = `
const http = require('node:http');
http.createServer((req, res) => res.end(String(process.pid)))
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('service listening'));
process.on('SIGTERM', () => process.exit(0));
`;

async function answer(port: number): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return await res.text();
  } catch {
    return undefined;
  }
}

describe('npm start supervisor', () => {
  const lines: string[] = [];
  let supervisor: Supervisor;

  afterEach(async () => {
    await supervisor.stopAll(2_000);
  });

  it('restarts a service killed with SIGKILL, with a logged back-off, and it serves again', async () => {
    const port = await freePort();
    supervisor = new Supervisor({
      policy: { initialDelayMs: 200, maxDelayMs: 1_000, stableAfterMs: 60_000, maxQuickCrashes: 5 },
      log: (line) => lines.push(line),
    });
    await supervisor.start('svc', ['-e', SERVICE], { ...process.env, PORT: String(port) }, /service listening/, 10_000);
    const firstPid = supervisor.pid('svc');
    expect(await answer(port)).toBe(String(firstPid));

    process.kill(firstPid!, 'SIGKILL');
    await eventually(async () => {
      const pid = await answer(port);
      return pid !== undefined && pid !== String(firstPid);
    }, 10_000, 100);
    expect(await answer(port)).toBe(String(supervisor.pid('svc')));
    expect(lines).toContainEqual(expect.stringMatching(/^svc stopped unexpectedly \(signal SIGKILL\).*next attempt in 200 ms$/));
    expect(lines).toContainEqual(expect.stringMatching(/^svc is back \(pid \d+\)$/));

    // A second quick crash waits twice as long.
    process.kill(supervisor.pid('svc')!, 'SIGKILL');
    await eventually(async () => lines.some((l) => /signal SIGKILL.*next attempt in 400 ms$/.test(l)), 5_000, 50);
    await eventually(async () => (await answer(port)) === String(supervisor.pid('svc')), 10_000, 100);
  });

  it('gives up on a service that keeps crashing, says so, and leaves the others running', async () => {
    const port = await freePort();
    const gaveUp: string[] = [];
    supervisor = new Supervisor({
      policy: { initialDelayMs: 50, maxDelayMs: 100, stableAfterMs: 60_000, maxQuickCrashes: 2 },
      log: (line) => lines.push(line),
      onGiveUp: (name) => gaveUp.push(name),
    });
    await supervisor.start('steady', ['-e', SERVICE], { ...process.env, PORT: String(port) }, /service listening/, 10_000);
    // Ready at once, then exits 3 shortly after, every time.
    await supervisor.start('flaky', ['-e', 'console.log("flaky up"); setTimeout(() => process.exit(3), 50)'], process.env, /flaky up/, 10_000);
    await eventually(async () => gaveUp.includes('flaky'), 10_000, 50);
    expect(lines.filter((l) => /^flaky stopped unexpectedly \(exit code 3\)/.test(l))).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^flaky stopped \(exit code 3\) after 2 quick crashes in a row; giving up/));
    expect(await answer(port)).toBe(String(supervisor.pid('steady')));
  });
});
