import 'reflect-metadata';
import { loadControlPlaneEnv } from './env';
import { logger } from './logger';
import { startControlPlane } from './server';

async function main(): Promise<void> {
  const cp = await startControlPlane(loadControlPlaneEnv());
  logger.info({ url: cp.url }, 'control plane listening');
  const stop = () => {
    logger.info('control plane stopping');
    cp.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  logger.fatal({ err }, 'control plane failed to start');
  process.exit(1);
});
