import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inheritedEnv, launcherGatewayPort, readDeployEnv } from '../env';
import { freePort } from '../local/free-port';
import { writePrometheusTargets } from '../observability/prometheus.targets';
import { startPostgres, createDatabaseAt, type LocalPostgres } from '../local/postgres.local';
import { startRabbit, type LocalRabbit } from '../local/rabbitmq.local';
import { SERVICE_NODE_FLAGS as FLAGS } from '../local/service.flags';
import { Supervisor } from './process.supervisor';
import { eventually } from './graphql.client';
import { ALL_VISITORS_SEGMENT_ID } from '@datahub/emulators';
import { DEMO_ACCOUNTS, DEMO_BULK_PROFILES, DEMO_PROFILES, seedDemo } from './demo.seed';

const ROOT = join(__dirname, '..', '..', '..');
const HUB_DIR = join(ROOT, '.hub');
const dist = (pkg: string, file: string) => join(ROOT, pkg, 'dist', file);

/** Secrets of this checkout's demo: kept in .hub/ so an external database stays readable across restarts. */
function demoSecrets(): { masterKeys: string; operatorToken: string } {
  const file = join(HUB_DIR, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = { masterKeys: `demo1:${randomBytes(32).toString('base64')}`, operatorToken: `op_${randomBytes(24).toString('hex')}` };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function waitHealthy(url: string): Promise<void> {
  await eventually(async () => (await fetch(url)).ok, 30_000, 200);
}

/** `npm start`: the whole hub on this machine, with the demo tenant of the brief's scenarios 1 and 3. */
async function main(): Promise<void> {
  mkdirSync(HUB_DIR, { recursive: true });
  const secrets = demoSecrets();
  let pg: LocalPostgres | undefined;
  let rabbit: LocalRabbit | undefined;
  // A crashed service is restarted with back-off (restart.policy.ts), as an orchestrator would;
  // only Ctrl-C (SIGINT/SIGTERM) stops everything.
  const supervisor = new Supervisor();
  let down = false;
  async function shutdown(code: number): Promise<void> {
    if (down) return;
    down = true;
    console.log('\nStopping Data Hub…');
    await supervisor.stopAll();
    await rabbit?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    console.log('Stopped.');
    process.exit(code);
  }
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    const deployEnv = readDeployEnv();
    let databaseUrl = deployEnv.databaseUrl;
    if (!databaseUrl) {
      console.log('Starting a local PostgreSQL…');
      pg = await startPostgres({});
      databaseUrl = await createDatabaseAt(pg.url, 'datahub');
    }
    let amqpUrl = deployEnv.amqpUrl;
    if (!amqpUrl) {
      console.log('Starting a local RabbitMQ (5–7 s)…');
      rabbit = await startRabbit({});
      amqpUrl = rabbit.url;
    }
    const gatewayPort = launcherGatewayPort();
    const [cpPort, ingressPort, blueconicPort, copernicaPort, activecampaignPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${gatewayPort}`;
    const common: NodeJS.ProcessEnv = {
      ...inheritedEnv(),
      HUB_DATABASE_URL: databaseUrl, HUB_AMQP_URL: amqpUrl, HUB_MASTER_KEYS: secrets.masterKeys,
      HUB_OPERATOR_TOKENS: secrets.operatorToken, HUB_PUBLIC_URL: publicUrl, HUB_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      HUB_CONTROL_PLANE_PORT: String(cpPort), HUB_INGRESS_PORT: String(ingressPort), HUB_GATEWAY_PORT: String(gatewayPort),
      HUB_CONTROL_PLANE_URL: `http://127.0.0.1:${cpPort}`, HUB_INGRESS_URL: `http://127.0.0.1:${ingressPort}`,
      OTEL_METRICS_EXPORTER: 'none',
    };

    const emuConfig = join(HUB_DIR, 'emulators.json');
    writeFileSync(emuConfig, JSON.stringify({
      blueconic: { clients: [DEMO_ACCOUNTS.blueconicClient], profiles: [...DEMO_PROFILES, ...DEMO_BULK_PROFILES] },
      activecampaign: { apiTokens: [DEMO_ACCOUNTS.activecampaignToken] },
      copernica: { accessTokens: [DEMO_ACCOUNTS.copernicaToken], oauth1: [DEMO_ACCOUNTS.copernicaOAuth1], databases: [{ id: 1, name: 'newsletter', fields: ['email', 'firstname', 'lastname'] }] },
    }));
    const emuLine = await supervisor.start('emulators', [dist('emulators', 'main.js')], {
      ...common, EMU_CONFIG: emuConfig,
      // Fixed ports, so a restarted emulator keeps the URLs the demo syncs were configured with.
      EMU_BLUECONIC_PORT: String(blueconicPort), EMU_COPERNICA_PORT: String(copernicaPort), EMU_ACTIVECAMPAIGN_PORT: String(activecampaignPort),
    }, /"blueconic"/);
    const emulators = JSON.parse(emuLine) as { blueconic: string; copernica: string; activecampaign: string };

    await supervisor.start('control-plane', [...FLAGS['control-plane'], dist('control-plane', 'main.js')], { ...common, OTEL_SERVICE_NAME: 'datahub-control-plane' }, /control plane listening/);
    const otel = ['--require', dist('data-plane', 'otel.register.js')];
    await supervisor.start('ingress', [...FLAGS.ingress, ...otel, dist('data-plane', 'main.js'), 'ingress'], { ...common, OTEL_SERVICE_NAME: 'datahub-ingress' }, /ingress listening/);
    // A fixed health/metrics port, so a restarted worker stays where Prometheus scrapes it.
    const workerHealthPort = await freePort();
    await supervisor.start('worker', [...FLAGS.worker, ...otel, dist('data-plane', 'main.js'), 'worker'], { ...common, OTEL_SERVICE_NAME: 'datahub-worker', HUB_WORKER_HEALTH_PORT: String(workerHealthPort) }, /worker consuming/);
    writePrometheusTargets(join(HUB_DIR, 'prometheus-targets.json'), {
      gateway: `127.0.0.1:${gatewayPort}`, controlPlane: `127.0.0.1:${cpPort}`, ingress: `127.0.0.1:${ingressPort}`, worker: [`127.0.0.1:${workerHealthPort}`],
    });
    // Bulk runs and audits; one leader at a time (a second scheduler would stand by).
    await supervisor.start('scheduler', [...FLAGS.scheduler, ...otel, dist('data-plane', 'main.js'), 'scheduler'], { ...common, OTEL_SERVICE_NAME: 'datahub-scheduler' }, /waiting for leadership/);
    await supervisor.start('gateway', [...FLAGS.gateway, dist('gateway', 'main.js')], common, /gateway listening/);
    await waitHealthy(`${publicUrl}/healthz`);

    const demo = await seedDemo(`${publicUrl}/graphql`, secrets.operatorToken, {
      ...DEMO_ACCOUNTS, blueconicUrl: emulators.blueconic, copernicaUrl: emulators.copernica,
      activecampaignUrl: emulators.activecampaign, blueconicSegmentId: ALL_VISITORS_SEGMENT_ID,
    });
    const summary = { graphqlUrl: `${publicUrl}/graphql`, ...demo, emulators, operatorToken: secrets.operatorToken };
    writeFileSync(join(HUB_DIR, 'demo.json'), JSON.stringify(summary, null, 2));
    printWelcome(summary);
  } catch (err) {
    console.error(`\nData Hub could not start: ${(err as Error).message}`);
    await shutdown(1);
  }
}

function printWelcome(s: { graphqlUrl: string; apiToken: string; syncs: { scenario: string; inboundUrl: string; syncId: string }[]; emulators: { copernica: string; activecampaign: string } }): void {
  const copernicaOrigin = new URL(s.emulators.copernica).origin;
  const acOrigin = new URL(s.emulators.activecampaign).origin;
  const gql = (query: string) => `curl -s ${s.graphqlUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${s.apiToken}' \\\n     -d '${JSON.stringify({ query })}'`;
  const s2 = s.syncs[2];
  console.log(`
────────────────────────────────────────────────────────────────────────────
 Data Hub is running.                          (details: .hub/demo.json)

 Console     ${s.graphqlUrl.replace(/\/graphql$/, '/admin/')}   (sign in with the API token)
 GraphQL     ${s.graphqlUrl}
 API token   ${s.apiToken}

 Scenario 1  ${s.syncs[0]!.scenario}
   trigger:  curl -i "${s.syncs[0]!.inboundUrl}?id=demo-jane"
 Scenario 3  ${s.syncs[1]!.scenario}
   trigger:  curl -i "${s.syncs[1]!.inboundUrl}?id=demo-olivia"
${s2 ? ` Scenario 2  ${s2.scenario}
   bulk run (50 fans at ActiveCampaign's 5 requests/s, ~10 s):
     ${gql(`mutation { startBulkRun(syncId: "${s2.syncId}", mode: FULL) { id state } }`)}
   progress:
     ${gql(`{ sync(id: "${s2.syncId}") { bulkRuns(first: 1) { edges { node { state progress { pages records delivered unchanged failed } } } } } }`)}
   then real time: curl -i "${s2.inboundUrl}?id=demo-jane"
   ActiveCampaign emulator: curl -s ${acOrigin}/_emulator/state
` : ''}
 See the result in the Copernica emulator:
   curl -s ${copernicaOrigin}/_emulator/state
 See the delivery log through GraphQL:
   curl -s ${s.graphqlUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${s.apiToken}' \\
     -d '{"query":"{ syncs { edges { node { name deliveries { edges { node { attempt outcome targetStatus traceId } } } } } } }"}'

 Ctrl-C stops everything.
────────────────────────────────────────────────────────────────────────────`);
}

void main();
