import { startBlueConic, startCopernica } from '@datahub/emulators';
import { readComposeDemoEnv } from '../env';
import { eventually } from './graphql.client';
import { DEMO_ACCOUNTS, DEMO_PROFILES, seedDemo } from './demo.seed';

/**
 * `node deploy/dist/demo/demo.compose.js`, the `demo` service of deploy/compose: runs the BlueConic
 * and Copernica emulators on all interfaces (the worker reaches them by the service's name), waits
 * for the gateway, then creates the demo tenant and the brief's scenarios 1 and 3 through GraphQL,
 * as `npm start` does, and prints how to trigger them. Each start seeds a new demo tenant.
 */
async function main(): Promise<void> {
  const env = readComposeDemoEnv();
  const blueconic = await startBlueConic({ host: '0.0.0.0', port: env.blueconicPort, clients: [DEMO_ACCOUNTS.blueconicClient], profiles: DEMO_PROFILES });
  const copernica = await startCopernica({
    host: '0.0.0.0', port: env.copernicaPort, accessTokens: [DEMO_ACCOUNTS.copernicaToken], oauth1: [DEMO_ACCOUNTS.copernicaOAuth1],
    databases: [{ id: 1, name: 'newsletter', fields: ['email', 'firstname', 'lastname'] }],
  });
  const stop = () => void Promise.all([blueconic.close(), copernica.close()]).then(() => process.exit(0), () => process.exit(1));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const asSeenByHub = (url: string) => Object.assign(new URL(url), { hostname: env.emulatorHost }).toString().replace(/\/$/, '');
  await eventually(async () => (await fetch(`${env.gatewayUrl}/healthz`).catch(() => undefined))?.ok, 120_000, 1_000);
  const demo = await seedDemo(`${env.gatewayUrl}/graphql`, env.operatorToken, {
    ...DEMO_ACCOUNTS, blueconicUrl: asSeenByHub(blueconic.url), copernicaUrl: asSeenByHub(copernica.url),
  });
  console.log(JSON.stringify({ msg: 'demo seeded', apiToken: demo.apiToken, syncs: demo.syncs }));
  console.log([
    'Data Hub demo is seeded. From the laptop:',
    ...demo.syncs.map((s, i) => `  ${s.scenario}\n    curl -i "${s.inboundUrl}?id=${DEMO_PROFILES[i]!.id}"`),
    `  Copernica emulator state: curl -s http://localhost:${env.copernicaPort}/_emulator/state`,
    `  API token: ${demo.apiToken}`,
    '  Traces: http://localhost:16686 (Jaeger), service datahub-ingress',
  ].join('\n'));
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
