import 'reflect-metadata';
import { startProcessTracing } from '@datahub/connectors';
import { loadControlPlaneEnv } from './env';
import { logger } from './logger';
import { startControlPlane } from './server';

async function main(): Promise<void> {
  const env = loadControlPlaneEnv();
  const tracing = startProcessTracing('datahub-control-plane', env);
  const cp = await startControlPlane(env);
  logger.info({ url: cp.url }, 'control plane listening');
  const stop = () => {
    logger.info('control plane stopping');
    cp.close().then(() => tracing?.shutdown()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  logger.fatal({ err }, 'control plane failed to start');
  process.exit(1);
});
