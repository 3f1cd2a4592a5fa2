import { startControlPlane, loadControlPlaneEnv, type ControlPlane } from '@datahub/control-plane';
import { loadDataPlaneEnv, startIngress, startScheduler, startWorker, type Running } from '@datahub/data-plane';
import { startActiveCampaign, startBlueConic, startCopernica, type ActiveCampaignHandle, type BlueConicHandle, type CopernicaHandle } from '@datahub/emulators';
import { loadGatewayEnv, startGateway, type Gateway } from '@datahub/gateway';
import { startTracing } from '@datahub/connectors';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, createTestVhost, type TestResource } from '../test/test-env';
import { freePort } from '../local/free-port';
import type { PlatformAccounts } from '../demo/scenarios';

export const BLUECONIC_CLIENT = { clientId: 'hub-client', clientSecret: 'hub-client-secret' };
export const COPERNICA_TOKEN = 'copernica-access-token';
export const COPERNICA_OAUTH1 = { consumerKey: 'hub-consumer', consumerSecret: 'consumer-secret', token: 'hub-token', tokenSecret: 'token-secret' };
export const COPERNICA_DB = { id: 1, name: 'newsletter', fields: ['email', 'firstname', 'lastname'] };
export const ACTIVECAMPAIGN_TOKEN = 'activecampaign-api-key';

export interface StackOptions {
  retryScheduleMs?: number[];
  /** A broker of the test's own (e.g. one it kills); default: a fresh vhost on the shared one. */
  amqpUrl?: string;
  /** More settings for every process (e.g. HUB_BREAKER_OPEN_MS). */
  env?: Record<string, string>;
  /** Also run a scheduler (bulk runs, audits) in this process. */
  scheduler?: boolean;
  /** The ActiveCampaign emulator's limit (default: the real 5 requests/s). */
  activecampaignRateLimitPerSec?: number;
}

/**
 * The whole hub in this process on free ports, on a fresh database and vhost of the test
 * PostgreSQL and RabbitMQ, with BlueConic and Copernica emulators. What `npm start` runs as
 * separate processes.
 */
export interface TestStack {
  graphqlUrl: string;
  gatewayUrl: string;
  operatorToken: string;
  blueconic: BlueConicHandle;
  copernica: CopernicaHandle;
  activecampaign: ActiveCampaignHandle;
  db: TestResource;
  vhost: TestResource;
  cp: ControlPlane;
  ingress: Running & { url: string };
  worker: Running & { healthPort: number };
  scheduler: (Running & { isLeader(): boolean }) | null;
  gateway: Gateway;
  env: Record<string, string>;
  accounts: PlatformAccounts;
  stop(): Promise<void>;
}

export async function startTestStack(opts: StackOptions = {}): Promise<TestStack> {
  // What every process's main does: real trace ids, exported only if the test started tracing with an exporter first.
  startTracing('datahub-test-stack');
  const [db, vhost, blueconic, copernica, activecampaign] = await Promise.all([
    createTestDatabase(),
    opts.amqpUrl ? { name: 'dedicated', url: opts.amqpUrl, drop: async () => undefined } : createTestVhost(),
    startBlueConic({ clients: [BLUECONIC_CLIENT] }),
    startCopernica({ accessTokens: [COPERNICA_TOKEN], oauth1: [COPERNICA_OAUTH1], databases: [COPERNICA_DB] }),
    startActiveCampaign({ apiTokens: [ACTIVECAMPAIGN_TOKEN], rateLimitPerSec: opts.activecampaignRateLimitPerSec }),
  ]);
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;
  const gatewayPort = await freePort();
  const env: Record<string, string> = {
    HUB_DATABASE_URL: db.url,
    HUB_AMQP_URL: vhost.url,
    HUB_MASTER_KEYS: `test1:${randomBytes(32).toString('base64')}`,
    HUB_OPERATOR_TOKENS: operatorToken,
    HUB_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    HUB_CONTROL_PLANE_PORT: '0',
    HUB_INGRESS_PORT: '0',
    HUB_GATEWAY_PORT: String(gatewayPort),
    HUB_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
    HUB_RETRY_SCHEDULE_MS: (opts.retryScheduleMs ?? [200, 400, 800]).join(','),
    HUB_HTTP_TIMEOUT_MS: '3000',
    HUB_LAST_USED_FLUSH_MS: '200',
    HUB_DRAIN_GRACE_MS: '0',
    HUB_GATEWAY_DRAIN_GRACE_MS: '0',
    // Tests send bursts from one address with one key; the edge limits have their own test.
    HUB_GATEWAY_RATE_PER_IP_PER_SEC: '0',
    HUB_GATEWAY_RATE_PER_KEY_PER_SEC: '0',
    HUB_BREAKER_OPEN_MS: '1000',
    HUB_WORKER_HEALTH_PORT: '0',
    HUB_SCHEDULER_TICK_MS: '200',
    HUB_SCHEDULER_POLL_MS: '100',
    HUB_SCHEDULER_LOCK_RETRY_MS: '300',
    ...opts.env,
  };
  const cp = await startControlPlane(loadControlPlaneEnv(env));
  const ingress = await startIngress(loadDataPlaneEnv(env));
  const worker = await startWorker(loadDataPlaneEnv(env));
  const scheduler = opts.scheduler ? await startScheduler(loadDataPlaneEnv(env)) : null;
  const gateway = await startGateway(loadGatewayEnv({
    ...env, HUB_CONTROL_PLANE_URL: `http://127.0.0.1:${cp.port}`, HUB_INGRESS_URL: ingress.url,
  }));
  const stack: TestStack = {
    graphqlUrl: `${gateway.url}/graphql`, gatewayUrl: gateway.url, operatorToken, blueconic, copernica, activecampaign, db, vhost,
    cp, ingress, worker, scheduler, gateway, env,
    accounts: {
      blueconicUrl: blueconic.url, blueconicClient: BLUECONIC_CLIENT, copernicaUrl: copernica.url, copernicaToken: COPERNICA_TOKEN,
      copernicaOAuth1: COPERNICA_OAUTH1, copernicaDatabaseId: String(COPERNICA_DB.id),
      activecampaignUrl: activecampaign.url, activecampaignToken: ACTIVECAMPAIGN_TOKEN, blueconicSegmentId: blueconic.allVisitorsSegmentId,
    },
    stop: async () => {
      await gateway.close();
      await stack.ingress.close();
      await stack.scheduler?.close();
      await stack.worker.close();
      await cp.close();
      await Promise.all([blueconic.close(), copernica.close(), activecampaign.close()]);
      await vhost.drop();
      await db.drop();
    },
  };
  return stack;
}
