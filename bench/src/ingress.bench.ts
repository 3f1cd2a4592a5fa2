/**
 * npm run bench:ingress — drives the real ingress process for BENCH_SECONDS (default 20) with
 * autocannon and prints accepted req/s, p50/p95/p99 latency and memory; then, in the same run and
 * against the same broker, the ceiling of a bare node:http server that only does a confirmed publish.
 */
import 'reflect-metadata';
import amqp from 'amqplib';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadControlPlaneEnv, startControlPlane } from '@datahub/control-plane';
import { Queues } from '@datahub/proto';
import { createDatabaseAt, createTenant, freePort, HubProcess, inheritedEnv, pidsByCmdline, RoleMeter, SERVICE_NODE_FLAGS, setupScenario1, startPostgres, startRabbit } from '@datahub/deploy';
import { benchEnv } from './env';

const SECONDS = benchEnv.BENCH_SECONDS;
const CONNECTIONS = benchEnv.BENCH_CONNECTIONS;
const root = join(__dirname, '..', '..');

/** Starts a server process and resolves once `readyUrl` answers (logs may be silenced). */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let i = 0; i < 300; i++) {
    if (exited !== undefined) throw new Error(`${args.join(' ')} exited with ${exited}`);
    if (await fetch(readyUrl).then(() => true, () => false)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${args.join(' ')} did not answer ${readyUrl}`);
}

async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** Each run starts from an empty hub.work: a quorum queue holding 100,000s of messages is slower to publish to. */
async function purgeWork(amqpUrl: string): Promise<void> {
  const conn = await amqp.connect(amqpUrl);
  try {
    const ch = await conn.createChannel();
    await ch.purgeQueue(Queues.work);
  } finally {
    await conn.close();
  }
}

/**
 * CPU µs per accepted request of each process in the path, from /proc (user + system): where the
 * machine's two cores go. `load` is this process (autocannon), `rabbitmq` the broker's Erlang VM.
 */
function cpuMeters(pids: Record<string, () => number[]>): () => Record<string, number> {
  const meters = Object.entries(pids).map(([name, of]) => new RoleMeter(name, of));
  const before = meters.map((m) => m.cpuMs());
  return () => Object.fromEntries(meters.map((m, i) => [m.name, m.cpuMs() - before[i]!]));
}

async function drive(title: string, url: string, pid: number, amqpUrl: string, path: Record<string, () => number[]>) {
  await purgeWork(amqpUrl);
  await autocannon({ url, connections: 8, duration: 2 }); // warm-up: caches, JIT, channel
  let peakRss = 0;
  const sampler = setInterval(() => void rssMb(pid).then((m) => (peakRss = Math.max(peakRss, m))), 500);
  const cpu = cpuMeters({ load: () => [process.pid], ...path });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, pipelining: 1 });
  const cpuMs = cpu();
  clearInterval(sampler);
  const accepted = r['2xx'];
  const row = {
    title, accepted, 'accepted req/s': Math.round(accepted / SECONDS), 'non-2xx': r.non2xx, errors: r.errors + r.timeouts,
    'p50 ms': r.latency.p50, 'p97.5 ms': r.latency.p97_5, 'p99 ms': r.latency.p99, 'peak RSS MB': peakRss,
    'CPU µs/request': Object.entries(cpuMs).map(([k, ms]) => `${k} ${Math.round((ms * 1000) / Math.max(1, accepted))}`).join(', '),
  };
  console.log(JSON.stringify(row));
  return row;
}

async function main(): Promise<void> {
  console.log(`ingress benchmark: ${SECONDS} s per target, ${CONNECTIONS} connections, ${require('node:os').cpus().length} cores`);
  const pg = await startPostgres({ fsync: false });
  const rabbit = await startRabbit({});
  const children: ChildProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    const env = {
      ...inheritedEnv(), HUB_DATABASE_URL: await createDatabaseAt(pg.url, 'bench'), HUB_AMQP_URL: rabbit.url,
      HUB_MASTER_KEYS: `b:${randomBytes(32).toString('base64')}`, HUB_OPERATOR_TOKENS: 'bench-operator',
      HUB_OUTBOUND_ALLOW_HOSTS: '127.0.0.1', HUB_CONTROL_PLANE_PORT: '0', OTEL_METRICS_EXPORTER: 'none',
    };
    const ingressPort = await freePort();
    const cp = await startControlPlane(loadControlPlaneEnv({ ...env, HUB_PUBLIC_URL: `http://127.0.0.1:${ingressPort}` }));
    const tenant = await createTenant(cp.url, 'bench-operator', 'bench');
    const sync = await setupScenario1(cp.url, tenant.token, tenant.projectId, {
      blueconicUrl: 'http://127.0.0.1:9/rest/v2', blueconicClient: { clientId: 'x', clientSecret: 'y' },
      copernicaUrl: 'http://127.0.0.1:9/v3', copernicaToken: 't', copernicaOAuth1: { consumerKey: 'a', consumerSecret: 'b', token: 'c', tokenSecret: 'd' },
      copernicaDatabaseId: '1',
    });
    // Ingress exactly as `npm start` runs it: its own process with the data plane's otel.register
    // loaded first, the default log level, output on a pipe; no worker draining the queue.
    const profile = benchEnv.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${benchEnv.BENCH_PROFILE_DIR}`] : [];
    const logDir = mkdtempSync(join(tmpdir(), 'datahub-bench-'));
    const ingress = new HubProcess({
      name: 'ingress', args: [...profile, ...SERVICE_NODE_FLAGS.ingress, '--require', join(root, 'data-plane/dist/otel.register.js'), join(root, 'data-plane/dist/main.js'), 'ingress'],
      env: { ...env, HUB_INGRESS_PORT: String(ingressPort), OTEL_SERVICE_NAME: 'datahub-ingress' },
      ready: /ingress listening/, logFile: join(logDir, 'ingress.log'),
    }, () => undefined);
    await ingress.start();
    stops.push(() => ingress.close());
    const broker = () => pidsByCmdline(rabbit.home);
    const hub = await drive('data-plane ingress', `${sync.inboundUrl}?id=profile-1`, ingress.pid!, rabbit.url, { ingress: () => [ingress.pid!], rabbitmq: broker });
    // The same ingress behind the gateway, as origins reach it (`/hooks/…` on the public port).
    const gatewayPort = await freePort();
    const gateway = new HubProcess({
      name: 'gateway', args: [...profile, ...SERVICE_NODE_FLAGS.gateway, join(root, 'gateway/dist/main.js')],
      env: { ...env, HUB_GATEWAY_PORT: String(gatewayPort), HUB_CONTROL_PLANE_URL: cp.url, HUB_INGRESS_URL: `http://127.0.0.1:${ingressPort}`,
        // One load generator on one address: the edge limits would measure themselves.
        HUB_GATEWAY_RATE_PER_IP_PER_SEC: '0', HUB_GATEWAY_RATE_PER_KEY_PER_SEC: '0' },
      ready: /gateway listening/, logFile: join(logDir, 'gateway.log'),
    }, () => undefined);
    await gateway.start();
    stops.push(() => gateway.close());
    const viaGateway = await drive('ingress through the gateway', `${sync.inboundUrl.replace(`:${ingressPort}`, `:${gatewayPort}`)}?id=profile-1`, ingress.pid!, rabbit.url,
      { gateway: () => [gateway.pid!], ingress: () => [ingress.pid!], rabbitmq: broker });

    const barePort = await freePort();
    const bare = await startProcess([join(__dirname, 'bare-publish.server.js')], { ...env, PORT: String(barePort) }, `http://127.0.0.1:${barePort}/healthz`);
    children.push(bare);
    const ceiling = await drive('bare node:http + confirmed publish', `http://127.0.0.1:${barePort}/`, bare.pid!, rabbit.url, { bare: () => [bare.pid!], rabbitmq: broker });

    const ratio = (r: typeof hub) => (r['accepted req/s'] / ceiling['accepted req/s']).toFixed(2);
    console.log(`\nratio to the bare ceiling (same run): direct ${ratio(hub)}, through the gateway ${ratio(viaGateway)}`);
    console.table([hub, viaGateway, ceiling]);
    await cp.close();
  } finally {
    for (const c of children) c.kill('SIGTERM');
    for (const stop of stops) await stop();
    await rabbit.stop();
    await pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
