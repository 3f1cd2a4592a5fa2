import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface HubProcessSpec {
  /** e.g. `ingress`, `worker-1`. */
  name: string;
  /** node arguments, e.g. `['--require', '<otel.register.js>', '<main.js>', 'ingress']`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A stdout line that says the service is ready. */
  ready: RegExp;
  /** Output (stdout and stderr) is appended here. */
  logFile: string;
  startTimeoutMs?: number;
}

export interface ExitRecord {
  name: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  atMs: number;
  /** True unless the harness itself stopped or signalled the process. */
  unexpected: boolean;
}

/**
 * One service of the hub as its own OS process (`node <pkg>/dist/…`), the way `npm start` runs it:
 * started, signalled, killed and restarted by the harness; unexpected exits are recorded, never hidden.
 */
export class HubProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  private expectingExit = false;
  private recentLines: string[] = [];

  constructor(readonly spec: HubProcessSpec, private readonly onExit: (e: ExitRecord) => void) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of output, for error messages. */
  tail(n = 20): string {
    return this.recentLines.slice(-n).join('\n');
  }

  /** Spawns the process; resolves once its `ready` line appears. */
  start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    const { name, args, env, ready, startTimeoutMs = 60_000 } = this.spec;
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.expectingExit = false;
    const pid = child.pid ?? -1;
    this.log.write(`\n--- ${new Date().toISOString()} start ${name} pid ${pid}\n`);
    const keep = (line: string) => {
      this.log.write(`${line}\n`);
      this.recentLines.push(line);
      if (this.recentLines.length > 200) this.recentLines.splice(0, 100);
    };
    createInterface({ input: child.stderr! }).on('line', keep);
    const out = createInterface({ input: child.stdout! });
    out.on('line', keep);
    child.once('exit', (code, signal) => {
      this.log.write(`--- ${new Date().toISOString()} ${name} pid ${pid} exited code ${code} signal ${signal}\n`);
      this.onExit({ name, pid, code, signal, atMs: Date.now(), unexpected: !this.expectingExit });
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${name} was not ready within ${startTimeoutMs} ms:\n${this.tail()}`)), startTimeoutMs);
      const onLine = (line: string) => {
        if (!ready.test(line)) return;
        cleanup();
        resolve();
      };
      const onEarlyExit = (code: number | null) => fail(new Error(`${name} exited (code ${code}) before it was ready:\n${this.tail()}`));
      const cleanup = () => {
        clearTimeout(timer);
        out.off('line', onLine);
        child.off('exit', onEarlyExit);
      };
      const fail = (err: Error) => {
        cleanup();
        reject(err);
      };
      out.on('line', onLine);
      child.once('exit', onEarlyExit);
    });
  }

  /** Sends a signal the harness means (the resulting exit is not "unexpected"). */
  signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    this.expectingExit = true;
    this.child!.kill(sig);
  }

  /** Resolves true once the process has exited, false after timeoutMs. */
  waitExit(timeoutMs: number): Promise<boolean> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** kill -9: a crash. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.waitExit(5_000);
  }

  /** SIGTERM, SIGKILL after graceMs; resolves once it is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    if (!(await this.waitExit(graceMs))) await this.kill();
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}
