import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Child processes of `npm start`: prefixed output, and one stop for all of them. */
export class Supervisor {
  private readonly children: { name: string; child: ChildProcess }[] = [];
  private stopping = false;

  constructor(private readonly onCrash: (name: string, code: number | null) => void) {}

  /** Starts a process; resolves with the first stdout line matching `ready` (or at once). */
  start(name: string, args: string[], env: NodeJS.ProcessEnv, ready?: RegExp, timeoutMs = 60_000): Promise<string> {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push({ name, child });
    const label = `[${name}]`.padEnd(16);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not become ready within ${timeoutMs} ms`)), timeoutMs);
      if (!ready) {
        clearTimeout(timer);
        resolve('');
      }
      createInterface({ input: child.stdout! }).on('line', (line) => {
        process.stdout.write(`${label} ${line}\n`);
        if (ready && ready.test(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`${label} ${line}\n`));
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!this.stopping) {
          reject(new Error(`${name} exited with code ${code}`));
          this.onCrash(name, code);
        }
      });
    });
  }

  /** SIGTERM to every child in reverse start order (gateway first, so no request meets a stopped service). */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const { child } of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  }
}
