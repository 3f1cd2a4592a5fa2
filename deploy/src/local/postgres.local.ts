import { ChildProcess, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import {
  followLog,
  makeInstanceDir,
  spawnServer,
  removeInstanceDir,
  startWatchdog,
} from './instance-dir';
import { hasExited, run, signal, toolEnv, waitForExit, waitUntil } from './process.util';

export interface StartPostgresOptions {
  /** Default: a free port. */
  port?: number;
  /** Parent of the instance directory `datahub-postgres-XXXXXX`. Default: os.tmpdir(). */
  baseDir?: string;
  /** false (tests): fsync, synchronous_commit and full_page_writes off. Default true. */
  fsync?: boolean;
  /** Receives the server's log lines. */
  log?: (line: string) => void;
}

export interface LocalPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth, superuser). */
  url: string;
  port: number;
  dataDir: string;
  /** The instance directory (data, socket, log); deleted by stop(). */
  baseDir: string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Drops a database, ending its sessions first. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server (fast shutdown: sessions are cut) and starts it again on the same port and data. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** Stops the server and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';
const START_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

/** The bin directory of the newest PostgreSQL server installed by apt (/usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const majors = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) {
    throw new Error(`no PostgreSQL server in ${PG_ROOT}/*/bin: run deploy/local/ensure-system-deps.sh`);
  }
  return join(PG_ROOT, majors[0], 'bin');
}

/** The URL of database `name` on the server behind adminUrl. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

function quoteIdent(name: string): string {
  // Postgres silently truncates longer names, and the URL would then point elsewhere.
  if (!name || Buffer.byteLength(name) > 63) throw new Error(`invalid database name ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

function psql(url: string, sql: string): Promise<string> {
  let bin = 'psql';
  try {
    bin = join(postgresBinDir(), 'psql');
  } catch {
    // external server (HUB_DATABASE_URL) without a local one: the client from PATH
  }
  return run(bin, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    env: toolEnv({ PGCONNECT_TIMEOUT: '10' }),
  });
}

/** Creates database `name` on any server (admin URL with CREATEDB); returns its URL. */
export async function createDatabaseAt(adminUrl: string, name: string): Promise<string> {
  await psql(adminUrl, `CREATE DATABASE ${quoteIdent(name)}`);
  return databaseUrl(adminUrl, name);
}

export async function dropDatabaseAt(adminUrl: string, name: string): Promise<void> {
  await psql(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

interface ServerUser {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root: as root we run it as the `postgres` OS user. */
function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root needs the `postgres` OS user (apt install postgresql creates it)');
  }
}

function settings(socketDir: string, fsync: boolean): string {
  const lines = [
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir.replace(/'/g, "''")}'`,
    'max_connections = 300',
    ...(fsync ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
  ];
  return `\n# datahub throwaway instance\n${lines.join('\n')}\n`;
}

async function isReady(bin: string, port: number): Promise<boolean> {
  const args = ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '1'];
  return run(join(bin, 'pg_isready'), args, { env: toolEnv(), timeoutMs: 5000 }).then(
    () => true,
    () => false,
  );
}

interface Launch {
  bin: string;
  baseDir: string;
  dataDir: string;
  user?: ServerUser;
}

/** Starts the postmaster in its own session and waits until it accepts connections. */
async function launch(l: Launch, port: number): Promise<ChildProcess> {
  const args = ['-D', l.dataDir, '-p', String(port)];
  const { child, failure } = spawnServer(l.baseDir, 'postgres.log', join(l.bin, 'postgres'), args, {
    env: toolEnv(),
    uid: l.user?.uid,
    gid: l.user?.gid,
  });
  try {
    await waitUntil(`postgres on port ${port}`, () => isReady(l.bin, port), {
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 50,
      failFast: failure,
    });
  } catch (error) {
    await stopServer(child);
    throw error;
  }
  return child;
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL for the postmaster and its children. */
async function stopServer(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  signal(pid, 'SIGINT');
  if (await waitForExit(child, 10_000)) return;
  signal(pid, 'SIGQUIT');
  if (await waitForExit(child, 3000)) return;
  await run('pkill', ['-KILL', '-P', String(pid)], { env: toolEnv() }).catch(() => undefined);
  signal(pid, 'SIGKILL');
  await waitForExit(child, 5000);
}

/** Starts a throwaway PostgreSQL server on 127.0.0.1 with its own port, socket dir and data dir. */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  const user = serverUser();
  const baseDir = await makeInstanceDir('postgres', opts.baseDir);
  const watchdog = startWatchdog('postgres', baseDir);
  const dataDir = join(baseDir, 'data');
  const socketDir = join(baseDir, 'sock');
  const stopFollowing = opts.log ? followLog(join(baseDir, 'postgres.log'), opts.log) : undefined;
  const cleanUp = async (): Promise<void> => {
    stopFollowing?.();
    await removeInstanceDir(baseDir);
    watchdog.dismiss();
  };

  let child: ChildProcess | undefined;
  let port = opts.port ?? (await freePort());
  try {
    mkdirSync(socketDir);
    if (user) {
      chownSync(baseDir, user.uid, user.gid);
      chownSync(socketDir, user.uid, user.gid);
    }
    const fsync = opts.fsync ?? true;
    const initdbArgs = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'];
    initdbArgs.push('--no-instructions', ...(fsync ? [] : ['--no-sync']));
    await run(join(bin, 'initdb'), initdbArgs, { env: toolEnv(), cwd: baseDir, timeoutMs: 120_000, ...user });
    appendFileSync(join(dataDir, 'postgresql.conf'), settings(socketDir, fsync));

    for (let attempt = 1; !child; attempt++) {
      try {
        child = await launch({ bin, baseDir, dataDir, user }, port);
      } catch (error) {
        // Another process may take a "free" port before the server binds it: pick another one.
        const taken = /already in use/i.test(String(error));
        if (opts.port !== undefined || !taken || attempt >= PORT_ATTEMPTS) throw error;
        port = await freePort();
      }
    }
  } catch (error) {
    await cleanUp();
    throw error;
  }

  let server = child;
  const fixedPort = port;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir,
    baseDir,
    createDatabase: (name) => createDatabaseAt(url, name),
    dropDatabase: (name) => dropDatabaseAt(url, name),
    restart: async ({ downMs = 0 } = {}) => {
      if (stopping) throw new Error('postgres was stopped');
      await stopServer(server);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      server = await launch({ bin, baseDir, dataDir, user }, fixedPort);
    },
    stop: () =>
      (stopping ??= (async () => {
        await stopServer(server);
        await cleanUp();
      })()),
  };
}
