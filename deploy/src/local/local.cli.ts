#!/usr/bin/env node
// node deploy/dist/local/local.cli.js up [--pg-port N] [--amqp-port N]
//
// Starts a throwaway PostgreSQL and RabbitMQ on 127.0.0.1 (each only if HUB_DATABASE_URL /
// HUB_AMQP_URL does not name one), prints `HUB_DATABASE_URL=…` and `HUB_AMQP_URL=…` on stdout,
// runs until SIGINT / SIGTERM / SIGHUP, then stops them and deletes their directories.
// Everything else goes to stderr: scripts read the first two lines of stdout.
import { readDeployEnv } from '../env';
import { LocalPostgres, startPostgres } from './postgres.local';
import { LocalRabbit, startRabbit } from './rabbitmq.local';

const USAGE = 'usage: local.cli up [--pg-port N] [--amqp-port N]';

interface UpArgs {
  pgPort?: number;
  amqpPort?: number;
}

function parseUpArgs(argv: readonly string[]): UpArgs {
  const args: UpArgs = {};
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${argv[i]} needs a port\n${USAGE}`);
    if (argv[i] === '--pg-port') args.pgPort = value;
    else if (argv[i] === '--amqp-port') args.amqpPort = value;
    else throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
  }
  return args;
}

const info = (line: string): void => void process.stderr.write(`[local] ${line}\n`);

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => resolve(sig));
  });
}

async function up(args: UpArgs): Promise<void> {
  const env = readDeployEnv();
  const echo = (prefix: string) => (env.localLog ? (line: string) => info(`${prefix}: ${line}`) : undefined);
  const t0 = Date.now();
  const [pg, rabbit] = await Promise.allSettled([
    env.databaseUrl ? undefined : startPostgres({ port: args.pgPort, log: echo('postgres') }),
    env.amqpUrl ? undefined : startRabbit({ port: args.amqpPort, log: echo('rabbitmq') }),
  ]);
  const started: Array<LocalPostgres | LocalRabbit> = [];
  for (const r of [pg, rabbit]) if (r.status === 'fulfilled' && r.value) started.push(r.value);
  const stopAll = async (): Promise<void> => void (await Promise.allSettled(started.map((s) => s.stop())));
  if (pg.status === 'rejected' || rabbit.status === 'rejected') {
    await stopAll();
    throw pg.status === 'rejected' ? pg.reason : rabbit.status === 'rejected' ? rabbit.reason : undefined;
  }

  const postgres = pg.value;
  const node = rabbit.value;
  process.stdout.write(`HUB_DATABASE_URL=${env.databaseUrl ?? postgres?.url}\n`);
  process.stdout.write(`HUB_AMQP_URL=${env.amqpUrl ?? node?.url}\n`);
  info(`ready in ${Date.now() - t0} ms`);
  if (postgres) info(`postgres ${postgres.url} (data ${postgres.dataDir})`);
  if (node) {
    info(`rabbitmq ${node.url} node ${node.nodeName}`);
    info(`  rabbitmqctl: HOME=${node.home} /usr/lib/rabbitmq/bin/rabbitmqctl -n ${node.nodeName} status`);
  }
  info('Ctrl-C stops them and deletes their directories');

  const keepAlive = setInterval(() => undefined, 1 << 30);
  const sig = await nextSignal();
  // A second signal while stopping: leave at once; the watchdogs finish the clean-up.
  const abort = (): never => process.exit(130);
  process.once('SIGINT', abort).once('SIGTERM', abort);
  info(`${sig}: stopping`);
  await stopAll();
  clearInterval(keepAlive);
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'up') throw new Error(USAGE);
  await up(parseUpArgs(rest));
}

process.stdout.on('error', () => undefined); // a reader that went away must not kill the servers
main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
