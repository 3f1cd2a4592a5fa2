import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RabbitTarget } from '../env';
import { freePort } from './free-port';
import {
  followLog,
  makeInstanceDir,
  spawnServer,
  removeInstanceDir,
  startWatchdog,
  Watchdog,
} from './instance-dir';
import {
  hasExited,
  portAccepts,
  processGroup,
  signal,
  toolEnv,
  waitForExit,
  waitGone,
  waitUntil,
} from './process.util';
import { addVhostVia, deleteVhostVia, LOOPBACK_DIST, RABBIT_BIN, rabbitCtl } from './rabbitmq.ctl';

export interface StartRabbitOptions {
  /** AMQP port. Default: a free port (the Erlang distribution port is always a free port). */
  port?: number;
  /** Parent of the instance directory `datahub-rabbitmq-XXXXXX`. Default: os.tmpdir(). */
  baseDir?: string;
  /** Receives the node's console output. */
  log?: (line: string) => void;
}

export interface LocalRabbit extends RabbitTarget {
  /** `amqp://guest:guest@127.0.0.1:PORT` (default vhost `/`). */
  url: string;
  port: number;
  distPort: number;
  /** The instance directory (HOME with the cookie, mnesia, logs); deleted by stop(). */
  baseDir: string;
  /** Runs `rabbitmqctl -n <node> ...args`; resolves with stdout. */
  ctl(args: readonly string[]): Promise<string>;
  /** Adds a vhost where guest may do anything; returns its AMQP URL. */
  addVhost(name: string): Promise<string>;
  deleteVhost(name: string): Promise<void>;
  /** SIGKILLs the node (a broker crash); its data stays for restart(). */
  kill(): Promise<void>;
  /** Stops the node gracefully; its data stays for restart(). */
  shutdown(): Promise<void>;
  /** Starts the same node on the same ports, after kill(), shutdown() or stop() (after stop(), empty). */
  restart(): Promise<void>;
  /** Stops the node (rabbitmqctl stop, SIGKILL if needed) and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

const BOOT_TIMEOUT_MS = 90_000;
const PORT_ATTEMPTS = 3;

interface Node extends RabbitTarget {
  baseDir: string;
  port: number;
  distPort: number;
}

/** Writes the node's private config, plugin list and cookie: nothing is read from /etc/rabbitmq. */
function prepareDir(node: Node): void {
  const { baseDir, home } = node;
  for (const dir of [baseDir, home, join(baseDir, 'mnesia'), join(baseDir, 'log')]) mkdirSync(dir, { recursive: true });
  // All node logs go to stdout, i.e. <baseDir>/rabbitmq.log (what opts.log follows).
  const conf = [
    'loopback_users.guest = true',
    'log.console = true',
    'log.console.level = info',
    'log.console.use_colors = off',
    'log.file = false',
    // Quorum queues keep their write-ahead log in memory until it rolls over at this size (default
    // 512 MiB): a local node under steady load grew by ~1 MB/s until then (bench:e2e --soak).
    'raft.wal_max_size_bytes = 67108864',
  ];
  writeFileSync(join(baseDir, 'rabbitmq.conf'), `${conf.join('\n')}\n`);
  writeFileSync(join(baseDir, 'advanced.config'), '[].\n');
  writeFileSync(join(baseDir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(baseDir, 'rabbitmq-env.conf'), '');
  writeFileSync(join(home, '.erlang.cookie'), randomBytes(20).toString('hex').toUpperCase(), { mode: 0o400 });
}

function serverEnv(node: Node): NodeJS.ProcessEnv {
  const file = (name: string): string => join(node.baseDir, name);
  return toolEnv({
    HOME: node.home,
    RABBITMQ_NODENAME: node.nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(node.port),
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_MNESIA_BASE: file('mnesia'),
    RABBITMQ_LOG_BASE: file('log'),
    RABBITMQ_CONFIG_FILE: file('rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: file('advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: file('enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: file('rabbitmq-env.conf'),
    // Erlang distribution listens on loopback only: a VM flag, in force from the first listen.
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: LOOPBACK_DIST,
  });
}

/** Starts rabbitmq-server in its own process group and waits for `rabbitmqctl await_startup`. */
async function boot(node: Node): Promise<ChildProcess> {
  const server = join(RABBIT_BIN, 'rabbitmq-server');
  const { child, failure } = spawnServer(node.baseDir, 'rabbitmq.log', server, [], { env: serverEnv(node) });
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  try {
    // The distribution port opens early in boot; await_startup fails at once before that.
    await waitUntil(`${node.nodeName} distribution port`, () => portAccepts(node.distPort), {
      timeoutMs: BOOT_TIMEOUT_MS,
      intervalMs: 100,
      failFast: failure,
    });
    const awaitStartup = (): Promise<boolean> => {
      const seconds = String(Math.max(1, Math.ceil((deadline - Date.now()) / 1000)));
      return rabbitCtl(node, ['-q', 'await_startup', '--timeout', seconds], deadline - Date.now() + 5000).then(
        () => true,
        () => false,
      );
    };
    await waitUntil(`${node.nodeName} to boot`, awaitStartup, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      intervalMs: 200,
      failFast: failure,
    });
  } catch (error) {
    await killNode(child);
    throw error;
  }
  return child;
}

/** SIGKILLs the node's process group and waits until the VM (not our child) is gone too. */
async function killNode(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || hasExited(child)) return;
  const members = processGroup(child.pid);
  signal(-child.pid, 'SIGKILL');
  await waitForExit(child, 5000);
  await waitGone(members, 5000);
}

async function shutdownNode(node: Node, child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || hasExited(child)) return;
  await rabbitCtl(node, ['-q', 'stop'], 20_000).catch(() => signal(child.pid as number, 'SIGTERM'));
  if (!(await waitForExit(child, 15_000))) await killNode(child);
}

/** Boots with fresh free ports when the chosen ones were taken in the meantime. */
async function bootOnFreePorts(node: Node, fixedPort: boolean): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boot(node);
    } catch (error) {
      const message = String(error);
      const amqpPortTaken = /Ranch listener|could_not_start_listener/.test(message);
      const portTaken = amqpPortTaken || /eaddrinuse|distribution/i.test(message);
      if (attempt >= PORT_ATTEMPTS || !portTaken || (fixedPort && amqpPortTaken)) throw error;
      if (!fixedPort) node.port = await freePort();
      node.distPort = await freePort();
    }
  }
}

/** Starts a throwaway RabbitMQ node on 127.0.0.1 with its own name, ports, cookie and directories. */
export async function startRabbit(opts: StartRabbitOptions = {}): Promise<LocalRabbit> {
  const baseDir = await makeInstanceDir('rabbitmq', opts.baseDir);
  const node: Node = {
    baseDir,
    home: join(baseDir, 'home'),
    nodeName: `hub-${randomBytes(6).toString('hex')}@localhost`,
    port: opts.port ?? (await freePort()),
    distPort: await freePort(),
  };
  let watchdog: Watchdog | undefined;
  let stopFollowing: (() => void) | undefined;
  let child: ChildProcess | undefined;
  let disposed = true;

  const open = (): void => {
    prepareDir(node);
    watchdog = startWatchdog('rabbitmq', baseDir);
    stopFollowing = opts.log ? followLog(join(baseDir, 'rabbitmq.log'), opts.log) : undefined;
    disposed = false;
  };
  const dispose = async (): Promise<void> => {
    await shutdownNode(node, child);
    stopFollowing?.();
    await removeInstanceDir(baseDir);
    watchdog?.dismiss();
    disposed = true;
  };

  open();
  try {
    child = await bootOnFreePorts(node, opts.port !== undefined);
  } catch (error) {
    await dispose();
    throw error;
  }

  // Lifecycle calls run one after another, whatever the previous one's outcome.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = (step: () => Promise<void>): Promise<void> => {
    const next = queue.then(step, step);
    queue = next.catch(() => undefined);
    return next;
  };

  const url = `amqp://guest:guest@127.0.0.1:${node.port}`;
  return {
    url,
    port: node.port,
    distPort: node.distPort,
    nodeName: node.nodeName,
    home: node.home,
    baseDir,
    ctl: (args) => rabbitCtl(node, args),
    addVhost: (name) => addVhostVia(node, url, name),
    deleteVhost: (name) => deleteVhostVia(node, name),
    kill: () =>
      serial(async () => {
        await killNode(child);
        // A dying VM can hold its sockets a moment after /proc shows it as a zombie.
        const closed = async (): Promise<boolean> =>
          !(await portAccepts(node.port)) && !(await portAccepts(node.distPort));
        await waitUntil(`${node.nodeName} to release its ports`, closed, { timeoutMs: 5000, intervalMs: 20 }).catch(
          () => undefined,
        );
      }),
    shutdown: () => serial(() => shutdownNode(node, child)),
    restart: () =>
      serial(async () => {
        if (disposed) open();
        else await shutdownNode(node, child);
        child = await boot(node);
      }),
    stop: () => serial(async () => (disposed ? undefined : dispose())),
  };
}
