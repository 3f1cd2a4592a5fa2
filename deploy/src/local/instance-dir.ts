import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { hasExited, processStartTime, signal } from './process.util';

export type InstanceKind = 'postgres' | 'rabbitmq';

/** deploy/local/watchdog.sh, from both src/local (jest) and dist/local (compiled). */
export const WATCHDOG_SCRIPT = resolve(__dirname, '..', '..', 'local', 'watchdog.sh');

/** Every instance directory is `<parent>/datahub-<kind>-XXXXXX`; the watchdog refuses other paths. */
export function makeInstanceDir(kind: InstanceKind, parent: string = tmpdir()): Promise<string> {
  return mkdtemp(join(parent, `datahub-${kind}-`));
}

export async function removeInstanceDir(dir: string): Promise<void> {
  if (!basename(dir).startsWith('datahub-')) throw new Error(`refusing to delete ${dir}`);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Records the server's pid and start time in `<dir>/instance.pid`; the watchdog reads it when it
 * cleans up, so it follows restarts and never signals a recycled pid.
 */
export function writeInstancePid(dir: string, pid: number): void {
  const file = join(dir, 'instance.pid');
  writeFileSync(`${file}.tmp`, `${pid} ${processStartTime(pid) ?? 0}\n`);
  renameSync(`${file}.tmp`, file);
}

export interface Watchdog {
  pid: number;
  dismiss(): void;
}

/**
 * Starts deploy/local/watchdog.sh in its own session: once this process is gone (even by SIGKILL)
 * it stops the instance recorded in `<dir>/instance.pid` and deletes `dir`.
 */
export function startWatchdog(kind: InstanceKind, dir: string): Watchdog {
  const child = spawn('bash', [WATCHDOG_SCRIPT, String(process.pid), kind, dir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${WATCHDOG_SCRIPT}`);
  return { pid, dismiss: () => signal(pid, 'SIGTERM') };
}

export interface Server {
  child: ChildProcess;
  /** The reason the server is gone (could not spawn, or exited, with the log's errors), if it is. */
  failure(): Error | undefined;
}

/**
 * Spawns a server in its own session (a Ctrl-C meant for us does not reach it), output appended to
 * `<dir>/<logName>`, and records it in `<dir>/instance.pid` for the watchdog.
 */
export function spawnServer(
  dir: string,
  logName: string,
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; uid?: number; gid?: number },
): Server {
  const logPath = join(dir, logName);
  const fd = openSync(logPath, 'a');
  const child = spawn(command, args, { ...opts, cwd: dir, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  child.unref();
  if (child.pid !== undefined) writeInstancePid(dir, child.pid);
  const name = basename(command);
  return {
    child,
    failure: () =>
      spawnError ??
      (hasExited(child)
        ? new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${logExcerpt(logPath)}`)
        : undefined),
  };
}

/** For error messages: a log's error lines (the first 20), or else its last 30 lines. */
export function logExcerpt(path: string): string {
  const lines = logTail(path, 400).split('\n');
  const errors = lines.filter((line) => /error|fatal|failed|could not|in use/i.test(line));
  return (errors.length > 0 ? errors.slice(0, 20) : lines.slice(-30)).join('\n');
}

function logTail(path: string, lines: number): string {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, 65_536);
    const buf = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buf.toString('utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Calls onLine for each line appended to a log file until the returned function is called. */
export function followLog(path: string, onLine: (line: string) => void): () => void {
  let offset = 0;
  let partial = '';
  const poll = (): void => {
    if (!existsSync(path)) return;
    const size = statSync(path).size;
    if (size <= offset) return;
    const buf = Buffer.alloc(size - offset);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    const lines = (partial + buf.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  };
  const safePoll = (): void => {
    try {
      poll();
    } catch {
      // the instance directory is being deleted
    }
  };
  const timer = setInterval(safePoll, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    safePoll();
  };
}
