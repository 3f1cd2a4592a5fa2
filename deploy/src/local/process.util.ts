import { ChildProcess, execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** A fixed environment for the tools we run, so a user's PG* / RABBITMQ_* variables cannot leak in. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    ...extra,
  };
}

export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | string | null,
    readonly output: string,
  ) {
    super(`${command} failed (${exitCode}): ${output.trim().slice(-2000)}`);
    this.name = 'CommandFailed';
  }
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  uid?: number;
  gid?: number;
}

/** Runs a command to completion; resolves with stdout, rejects with CommandFailed carrying stderr. */
export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        env: opts.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 60_000,
        uid: opts.uid,
        gid: opts.gid,
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? error.signal ?? null;
        reject(new CommandFailed(`${cmd} ${args.join(' ')}`, code, `${stderr}\n${stdout}`));
      },
    );
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The fields of /proc/<pid>/stat from field 3 (state) on, or undefined when the process is gone. */
function procStat(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const STATE = 0;
const PGRP = 2;
const START_TIME = 19;

/** Linux start time of a process (clock ticks since boot), or undefined when it is gone or a zombie. */
export function processStartTime(pid: number): string | undefined {
  const fields = procStat(pid);
  return !fields || fields[STATE] === 'Z' || fields[STATE] === 'X' ? undefined : fields[START_TIME];
}

interface ProcessRef {
  pid: number;
  start: string;
}

/** The live members of a process group, to wait for those that are not our children. */
export function processGroup(pgid: number): ProcessRef[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => ({ pid: Number(entry), fields: procStat(entry) }))
    .filter(({ fields }) => fields && Number(fields[PGRP]) === pgid && fields[STATE] !== 'Z')
    .map(({ pid, fields }) => ({ pid, start: (fields as string[])[START_TIME] }));
}

/** Resolves true once none of the processes is alive any more (zombies count as gone). */
export async function waitGone(processes: readonly ProcessRef[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (processes.every((p) => processStartTime(p.pid) !== p.start)) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true once the child has exited, false when timeoutMs passed first. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Sends a signal to one process (or, with a negative pid, a process group), ignoring "no such process". */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls until check() is true; fails early when failFast() returns an error. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs: number; failFast?: () => Error | undefined },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const early = opts.failFast?.();
    if (early) throw early;
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}`);
    await sleep(opts.intervalMs);
  }
}
