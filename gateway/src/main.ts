import { startProcessTracing } from '@datahub/connectors/dist/edge';
import { loadGatewayEnv } from './env';
import { startGateway } from './gateway.server';

async function main(): Promise<void> {
  const env = loadGatewayEnv();
  const tracing = startProcessTracing('datahub-gateway', env);
  const gw = await startGateway(env);
  console.log(JSON.stringify({ level: 30, name: 'gateway', msg: 'gateway listening', url: gw.url }));
  const stop = () => {
    console.log(JSON.stringify({ level: 30, name: 'gateway', msg: 'gateway draining: readiness 503, then finishing in-flight requests' }));
    return gw.close().then(() => tracing?.shutdown()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
