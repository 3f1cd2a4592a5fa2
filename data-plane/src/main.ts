import { startProcessTracing } from '@datahub/connectors';
import { startIngress, startScheduler, startWorker, type Running } from './data-plane';
import { loadDataPlaneEnv, loadProcessEnv } from './env';
import { logger } from './logger';

/** `node dist/main.js ingress|worker|scheduler` */
async function main(): Promise<void> {
  const role = process.argv[2];
  const tracing = startProcessTracing(`datahub-${role ?? 'data-plane'}`, loadProcessEnv());
  const env = loadDataPlaneEnv();
  let running: Running;
  if (role === 'ingress') {
    const ingress = await startIngress(env);
    logger.info({ url: ingress.url }, 'ingress listening');
    running = ingress;
  } else if (role === 'worker') {
    running = await startWorker(env);
    logger.info({ retryScheduleMs: env.HUB_RETRY_SCHEDULE_MS }, 'worker consuming hub.work');
  } else if (role === 'scheduler') {
    running = await startScheduler(env);
  } else {
    throw new Error(`unknown role "${role}"; use ingress, worker or scheduler`);
  }
  const stop = () => {
    logger.info({ role }, 'stopping');
    running.close().then(() => tracing?.shutdown()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  logger.fatal({ err }, 'data plane failed to start');
  process.exit(1);
});
