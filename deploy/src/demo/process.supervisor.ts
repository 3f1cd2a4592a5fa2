import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DEFAULT_RESTART_POLICY, decideRestart, describeExit, type RestartPolicy } from './restart.policy';

interface Service {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  ready?: RegExp;
  label: string;
  child?: ChildProcess;
  startedAt: number;
  quickCrashes: number;
  restartTimer?: NodeJS.Timeout;
  gaveUp: boolean;
}

export interface SupervisorOptions {
  policy?: RestartPolicy;
  /** Where the supervisor's own lines go (restarts, give-ups). */
  log?: (line: string) => void;
  /** Called once a service is left stopped after too many quick crashes. */
  onGiveUp?: (name: string) => void;
}

/**
 * Child processes of `npm start`: prefixed output; a service that crashes after it was ready is
 * restarted with exponential back-off (see restart.policy.ts); everything stops only on stopAll().
 */
export class Supervisor {
  private readonly services: Service[] = [];
  private stopping = false;
  private readonly policy: RestartPolicy;
  private readonly log: (line: string) => void;

  constructor(private readonly options: SupervisorOptions = {}) {
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.log = options.log ?? ((line) => process.stderr.write(`${'[supervisor]'.padEnd(16)} ${line}\n`));
  }

  /**
   * Starts a process; resolves with the first stdout line matching `ready` (or at once). A process
   * that exits before it was first ready rejects (a start-up failure, not a crash to retry).
   */
  start(name: string, args: string[], env: NodeJS.ProcessEnv, ready?: RegExp, timeoutMs = 60_000): Promise<string> {
    const service: Service = { name, args, env, ready, label: `[${name}]`.padEnd(16), startedAt: 0, quickCrashes: 0, gaveUp: false };
    this.services.push(service);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not become ready within ${timeoutMs} ms`)), timeoutMs);
      let firstReady = false;
      this.spawn(service, (line) => {
        if (firstReady) return;
        firstReady = true;
        clearTimeout(timer);
        resolve(line);
      }, (how) => {
        if (firstReady) return false;
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${how} before it was ready`));
        return true;
      });
    });
  }

  /** The pid of a service's current process (for tests and operators). */
  pid(name: string): number | undefined {
    return this.services.find((s) => s.name === name)?.child?.pid;
  }

  private spawn(service: Service, onReady: (line: string) => void, onEarlyExit: (how: string) => boolean): void {
    const child = spawn(process.execPath, service.args, { env: service.env, stdio: ['ignore', 'pipe', 'pipe'] });
    service.child = child;
    service.startedAt = Date.now();
    if (!service.ready) onReady('');
    createInterface({ input: child.stdout! }).on('line', (line) => {
      process.stdout.write(`${service.label} ${line}\n`);
      if (service.ready?.test(line)) onReady(line);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`${service.label} ${line}\n`));
    child.once('error', (err) => this.log(`${service.name} could not be started: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const how = describeExit(code, signal);
      if (onEarlyExit(how)) return;
      this.crashed(service, how);
    });
  }

  private crashed(service: Service, how: string): void {
    const uptimeMs = Date.now() - service.startedAt;
    const decision = decideRestart(service.quickCrashes, uptimeMs, this.policy);
    service.quickCrashes = decision.quickCrashes;
    if (decision.action === 'give-up') {
      service.gaveUp = true;
      this.log(
        `${service.name} stopped (${how}) after ${decision.quickCrashes} quick crashes in a row; giving up on it ` +
          `(the other services keep running; Ctrl-C stops everything)`,
      );
      this.options.onGiveUp?.(service.name);
      return;
    }
    this.log(
      `${service.name} stopped unexpectedly (${how}) after ${(uptimeMs / 1000).toFixed(1)} s; ` +
        `restart ${decision.quickCrashes} of at most ${this.policy.maxQuickCrashes} in a row, next attempt in ${decision.delayMs} ms`,
    );
    service.restartTimer = setTimeout(() => {
      service.restartTimer = undefined;
      if (this.stopping) return;
      this.spawn(service, () => this.log(`${service.name} is back (pid ${service.child?.pid})`), () => false);
    }, decision.delayMs);
  }

  /** SIGTERM to every child in reverse start order (gateway first, so no request meets a stopped service). */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const service of [...this.services].reverse()) {
      clearTimeout(service.restartTimer);
      const child = service.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  }
}
