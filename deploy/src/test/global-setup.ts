// jest integration globalSetup: one throwaway Postgres (fsync off) and one RabbitMQ for the whole
// run, unless HUB_DATABASE_URL / HUB_AMQP_URL name existing ones. Workers find them through the
// HUB_TEST_* variables exported here; test files use deploy/src/test/test-env.ts.
import { exportTestInfra, readDeployEnv } from '../env';
import { startPostgres } from '../local/postgres.local';
import { startRabbit } from '../local/rabbitmq.local';
import { keepInstances, stopInstances, TestInstances } from './instances';

export default async function globalSetup(): Promise<void> {
  const env = readDeployEnv();
  const echo = (prefix: string) =>
    env.localLog ? (line: string) => void process.stderr.write(`[${prefix}] ${line}\n`) : undefined;
  const timings: string[] = [];
  const timed = async <T extends { port: number }>(what: string, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const instance = await start();
    timings.push(`${what} :${instance.port} in ${Date.now() - t0} ms`);
    return instance;
  };

  const [pg, rabbit] = await Promise.allSettled([
    env.databaseUrl ? undefined : timed('postgres', () => startPostgres({ fsync: false, log: echo('postgres') })),
    env.amqpUrl ? undefined : timed('rabbitmq', () => startRabbit({ log: echo('rabbitmq') })),
  ]);
  const instances: TestInstances = {
    postgres: pg.status === 'fulfilled' ? pg.value : undefined,
    rabbit: rabbit.status === 'fulfilled' ? rabbit.value : undefined,
  };
  const failed = [pg, rabbit].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopInstances(instances).catch(() => undefined);
    throw failed.reason;
  }
  keepInstances(instances);

  const pgAdminUrl = env.databaseUrl ?? instances.postgres?.url;
  const amqpUrl = env.amqpUrl ?? instances.rabbit?.url;
  if (!pgAdminUrl || !amqpUrl) throw new Error('unreachable: no Postgres or RabbitMQ URL');
  const node = instances.rabbit;
  exportTestInfra({
    pgAdminUrl,
    amqpUrl,
    rabbit: node && { nodeName: node.nodeName, home: node.home },
    rabbitManagementUrl: node ? undefined : env.rabbitManagementUrl,
  });
  if (env.databaseUrl) timings.push('postgres from HUB_DATABASE_URL');
  if (env.amqpUrl) timings.push('rabbitmq from HUB_AMQP_URL');
  process.stderr.write(`\n[datahub] test servers: ${timings.join(', ')}\n`);
}
