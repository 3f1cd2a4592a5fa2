import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { freePort } from '../local/free-port';
import { createDatabaseAt, postgresBinDir, startPostgres, type LocalPostgres } from '../local/postgres.local';
import { run, toolEnv } from '../local/process.util';
import { startRabbit, type LocalRabbit } from '../local/rabbitmq.local';
import { inheritedEnv } from '../env';
import { SERVICE_NODE_FLAGS as FLAGS } from '../local/service.flags';
import { createTestDatabase, createTestVhost, type TestResource } from '../test/test-env';
import { HubProcess, type ExitRecord, type HubProcessSpec } from './hub.process';
import { LOAD_ACCOUNTS, startEmulatorTargets, type LoadTargets } from './load.targets';
import { childPids, pidsByCmdline, RoleMeter } from './proc.stats';
import { startStandInTargets } from './stand-in.target';

const ROOT = join(__dirname, '..', '..', '..');
const dist = (pkg: string, file: string) => join(ROOT, pkg, 'dist', file);

export interface SystemOptions {
  /** Worker processes; default 1. */
  workers?: number;
  /** Ingress processes behind the gateway; default 1. */
  ingresses?: number;
  /** Extra ingress ports the gateway already lists, for a new process to start on before an old one stops (rolling restarts). */
  spareIngressSlots?: number;
  /** HUB_RETRY_SCHEDULE_MS; default the data plane's own. */
  retryScheduleMs?: number[];
  /** Light stand-ins (default) or the BlueConic and Copernica emulators. */
  targets?: 'stand-in' | 'emulators';
  /**
   * `dedicated` (default): a PostgreSQL and a RabbitMQ of this harness, which it can restart.
   * `test`: a fresh database and vhost on the jest integration servers (cheaper; no restarts).
   */
  infra?: 'dedicated' | 'test';
  /** More environment for every hub process (after the harness's own). */
  env?: Record<string, string>;
  /** Node flags for every hub process, before its script (e.g. `--cpu-prof`, not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** Where the processes' logs go; default a new directory under the OS temp dir. */
  logDir?: string;
}

export interface HubSystem {
  gatewayUrl: string;
  graphqlUrl: string;
  /** The scenario-1 sync's inbound URL through the gateway. */
  inboundUrl: string;
  /** The first ingress's own URL (for /readyz). */
  ingressUrl: string;
  /** Every ingress address the gateway routes to (running or spare). */
  ingressSlots: string[];
  sync: SyncSetup;
  targets: LoadTargets;
  controlPlane: HubProcess;
  /** The first of `ingresses`. */
  ingress: HubProcess;
  ingresses: HubProcess[];
  workers: HubProcess[];
  /** Starts one more ingress on a slot (an address the gateway lists); resolves once it is ready. */
  addIngress(slotUrl: string): Promise<HubProcess>;
  /** Starts one more worker; resolves once it consumes. */
  addWorker(): Promise<HubProcess>;
  gateway: HubProcess;
  /** Set with `infra: 'dedicated'`. */
  postgres?: LocalPostgres;
  rabbit?: LocalRabbit;
  databaseUrl: string;
  logDir: string;
  /** Every exit of a hub process; `unexpected` ones the harness did not cause. */
  exits: ExitRecord[];
  unexpectedExits(): ExitRecord[];
  /** CPU/RSS meters: each hub process, the driver (this process, stand-ins included), and dedicated servers. */
  meters(): RoleMeter[];
  /** event_id → reason of every row in dead_letters that has a reason. */
  deadLetters(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

/** The hub's services as `npm start` runs them; fails clearly when `tsc -b` has not built them. */
export function requireBuiltServices(): void {
  const files = [dist('control-plane', 'main.js'), dist('data-plane', 'main.js'), dist('data-plane', 'otel.register.js'), dist('gateway', 'main.js')];
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(`the hub is not built (missing ${missing.map((f) => f.slice(ROOT.length + 1)).join(', ')}): run \`npx tsc -b\` (or \`npm run build\`) first`);
  }
}

/** Kills `pid` if this process dies first (even by SIGKILL), so no hub process outlives the harness. */
function guard(pid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill -0 ${pid} 2>/dev/null && kill -9 ${pid}`;
  spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

/** Environment of the hub processes: the caller's, minus what only jest or this process means. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = inheritedEnv();
  delete env.NODE_OPTIONS;
  for (const k of Object.keys(env)) if (k.startsWith('HUB_') || k.startsWith('JEST_')) delete env[k];
  return env;
}

/**
 * The whole hub as separate OS processes (control plane, ingress, N workers, gateway: `node
 * <pkg>/dist/…`, the data plane with `--require otel.register.js`, exactly as the `npm start`
 * launcher does), on its own PostgreSQL and RabbitMQ, with the source and target systems, and
 * scenario 1 set up through GraphQL. Everything it started is stopped by stop().
 */
export async function startSystem(opts: SystemOptions = {}): Promise<HubSystem> {
  requireBuiltServices();
  const logDir = opts.logDir ?? mkdtempSync(join(tmpdir(), 'datahub-load-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  const exits: ExitRecord[] = [];
  const processes: HubProcess[] = [];
  const stopAll = async () => {
    for (const p of [...processes].reverse()) await p.close().catch(() => undefined);
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    let postgres: LocalPostgres | undefined;
    let rabbit: LocalRabbit | undefined;
    let databaseUrl: string;
    let amqpUrl: string;
    if ((opts.infra ?? 'dedicated') === 'dedicated') {
      const [pg, mq] = await Promise.allSettled([startPostgres({ fsync: false }), startRabbit({})]);
      if (pg.status === 'fulfilled') cleanups.push(() => pg.value.stop());
      if (mq.status === 'fulfilled') cleanups.push(() => mq.value.stop());
      if (pg.status === 'rejected') throw pg.reason;
      if (mq.status === 'rejected') throw mq.reason;
      postgres = pg.value;
      rabbit = mq.value;
      databaseUrl = await createDatabaseAt(postgres.url, 'datahub');
      amqpUrl = rabbit.url;
    } else {
      const [db, vhost]: TestResource[] = await Promise.all([createTestDatabase(), createTestVhost()]);
      cleanups.push(() => db!.drop(), () => vhost!.drop());
      databaseUrl = db!.url;
      amqpUrl = vhost!.url;
    }
    const targets = opts.targets === 'emulators' ? await startEmulatorTargets() : await startStandInTargets();
    cleanups.push(() => targets.close());

    const [gatewayPort, cpPort] = [await freePort(), await freePort()];
    const ingressPorts: number[] = [];
    for (let i = 0; i < (opts.ingresses ?? 1) + (opts.spareIngressSlots ?? 0); i++) ingressPorts.push(await freePort());
    const ingressSlots = ingressPorts.map((p) => `http://127.0.0.1:${p}`);
    const ingressPort = ingressPorts[0]!;
    const publicUrl = `http://127.0.0.1:${gatewayPort}`;
    const operatorToken = `op_${randomBytes(16).toString('hex')}`;
    const common: NodeJS.ProcessEnv = {
      ...baseEnv(),
      HUB_DATABASE_URL: databaseUrl, HUB_AMQP_URL: amqpUrl, HUB_MASTER_KEYS: `load1:${randomBytes(32).toString('base64')}`,
      HUB_OPERATOR_TOKENS: operatorToken, HUB_PUBLIC_URL: publicUrl, HUB_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      HUB_CONTROL_PLANE_PORT: String(cpPort), HUB_INGRESS_PORT: String(ingressPort), HUB_GATEWAY_PORT: String(gatewayPort),
      HUB_CONTROL_PLANE_URL: `http://127.0.0.1:${cpPort}`, HUB_INGRESS_URL: ingressSlots.join(','),
      OTEL_METRICS_EXPORTER: 'none',
      // One load generator on one address with one key: the gateway's edge limits would be what is measured.
      HUB_GATEWAY_RATE_PER_IP_PER_SEC: '0', HUB_GATEWAY_RATE_PER_KEY_PER_SEC: '0',
      ...(opts.retryScheduleMs ? { HUB_RETRY_SCHEDULE_MS: opts.retryScheduleMs.join(',') } : {}),
      ...opts.env,
    };
    const otel = ['--require', dist('data-plane', 'otel.register.js')];
    const make = (name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): HubProcess => {
      const spec: HubProcessSpec = { name, args: [...(opts.nodeArgs ?? []), ...args], env, ready, logFile: join(logDir, `${name}.log`) };
      const p = new HubProcess(spec, (e) => exits.push(e));
      processes.push(p);
      return p;
    };
    const startGuarded = async (p: HubProcess) => {
      await p.start();
      guard(p.pid!);
    };
    const controlPlane = make('control-plane', [...FLAGS['control-plane'], dist('control-plane', 'main.js')], { ...common, OTEL_SERVICE_NAME: 'datahub-control-plane' }, /control plane listening/);
    await startGuarded(controlPlane);
    let ingressCount = 0;
    const makeIngress = (port: number) => make(ingressCount++ === 0 ? 'ingress' : `ingress-${ingressCount}`, [...FLAGS.ingress, ...otel, dist('data-plane', 'main.js'), 'ingress'],
      { ...common, HUB_INGRESS_PORT: String(port), OTEL_SERVICE_NAME: 'datahub-ingress' }, /ingress listening/);
    const ingresses = ingressPorts.slice(0, opts.ingresses ?? 1).map(makeIngress);
    for (const p of ingresses) await startGuarded(p);
    const ingress = ingresses[0]!;
    let workerCount = 0;
    const makeWorker = () => make(`worker-${++workerCount}`, [...FLAGS.worker, ...otel, dist('data-plane', 'main.js'), 'worker'], { ...common, OTEL_SERVICE_NAME: 'datahub-worker' }, /worker consuming/);
    const workers = Array.from({ length: opts.workers ?? 1 }, makeWorker);
    await Promise.all(workers.map(startGuarded));
    const gateway = make('gateway', [...FLAGS.gateway, dist('gateway', 'main.js')], common, /gateway listening/);
    await startGuarded(gateway);
    // Restarted processes are guarded too.
    for (const p of processes) {
      const start = p.start.bind(p);
      p.start = async () => {
        await start();
        guard(p.pid!);
      };
    }

    const graphqlUrl = `${publicUrl}/graphql`;
    const tenant = await createTenant(graphqlUrl, operatorToken, `load-${randomBytes(3).toString('hex')}`);
    const sync = await setupScenario1(graphqlUrl, tenant.token, tenant.projectId, {
      ...LOAD_ACCOUNTS, blueconicUrl: targets.blueconicUrl, copernicaUrl: targets.copernicaUrl,
    });

    const psql = join(postgresBinDir(), 'psql');
    const deadLetters = async (): Promise<Map<string, string>> => {
      const out = await run(psql, ['-X', '-q', '-A', '-t', '-F', '\t', '-d', databaseUrl, '-c',
        "SELECT event_id, replace(replace(reason, E'\\n', ' '), E'\\t', ' ') FROM dead_letters WHERE coalesce(reason, '') <> ''"],
      { env: toolEnv({ PGCONNECT_TIMEOUT: '5' }), timeoutMs: 15_000 });
      const rows = new Map<string, string>();
      for (const line of out.split('\n')) {
        const [id, reason] = line.split('\t');
        if (id) rows.set(id, reason ?? '');
      }
      return rows;
    };

    const meters = (): RoleMeter[] => {
      const list = processes.map((p) => new RoleMeter(p.spec.name, () => (p.pid ? [p.pid] : [])));
      list.push(new RoleMeter('driver', () => [process.pid]));
      if (postgres) {
        const pidFile = join(postgres.dataDir, 'postmaster.pid');
        list.push(new RoleMeter('postgres', () => {
          try {
            const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
            return [pid, ...childPids(pid)];
          } catch {
            return [];
          }
        }));
      }
      if (rabbit) {
        // The Erlang VM's command line names the node's HOME, inside its instance directory.
        const home = rabbit.home;
        list.push(new RoleMeter('rabbitmq', () => pidsByCmdline(home)));
      }
      return list;
    };

    return {
      gatewayUrl: publicUrl, graphqlUrl, inboundUrl: sync.inboundUrl, ingressUrl: `http://127.0.0.1:${ingressPort}`, ingressSlots, sync,
      targets, controlPlane, ingress, ingresses, workers, gateway,
      addIngress: async (slotUrl) => {
        const p = makeIngress(Number(new URL(slotUrl).port));
        await startGuarded(p);
        return p;
      },
      addWorker: async () => {
        const p = makeWorker();
        await startGuarded(p);
        return p;
      }, postgres, rabbit, databaseUrl, logDir, exits,
      unexpectedExits: () => exits.filter((e) => e.unexpected),
      meters, deadLetters, stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    const tails = processes.map((p) => `[${p.spec.name}] ${p.tail(5)}`).join('\n');
    throw new Error(`${(err as Error).message}\n(logs in ${logDir})\n${tails}`);
  }
}
