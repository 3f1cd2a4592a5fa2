import { assertOutboundUrl, ConnectorClient, CredentialVault, OAuth2TokenCache, parseAllowHosts, parseKeyring, vaultRefresher } from '@datahub/connectors';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { BrokerConnection } from './bus/broker.connection';
import { subscribeConfig } from './bus/config.subscriber';
import { declareTopology } from './bus/topology';
import type { DataPlaneEnv } from './env';
import { EventPublisher } from './ingress/event.publisher';
import { createIngressServer } from './ingress/ingress.server';
import { LastUsedRecorder } from './store/last-used.recorder';
import { ConfigStore } from './store/config.store';
import { OutcomeRecorder } from './worker/outcome.recorder';
import { SyncPipeline } from './worker/sync.pipeline';
import { startWorkConsumer } from './worker/work.consumer';

export interface Running {
  close(): Promise<void>;
}

function shared(env: DataPlaneEnv) {
  const pool = new Pool({ connectionString: env.HUB_DATABASE_URL, max: 10 });
  const keyring = parseKeyring(env.HUB_MASTER_KEYS);
  const vault = new CredentialVault(
    keyring,
    async (sql, params) => (await pool.query(sql, params)).rows,
    async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(async (sql, params) => (await client.query(sql, params)).rows);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
  );
  const store = new ConfigStore(pool, vault, keyring, env.HUB_CACHE_MAX_AGE_MS);
  return { pool, store, vault };
}

/** The ingress process: HTTP /hooks → hub.events, with a confirmed, routed publish before every 202. */
export async function startIngress(env: DataPlaneEnv): Promise<Running & { url: string; port: number }> {
  const { pool, store } = shared(env);
  const broker = new BrokerConnection(env.HUB_AMQP_URL, async (ch) => {
    await declareTopology(ch, env.HUB_RETRY_SCHEDULE_MS);
    await subscribeConfig(ch, (change) => store.apply(change));
  }, 'ingress');
  await broker.start();
  const usage = new LastUsedRecorder(pool, 'inbound_keys', env.HUB_LAST_USED_FLUSH_MS);
  const server = createIngressServer({
    store, publisher: new EventPublisher(broker), maxBodyBytes: env.HUB_INGRESS_MAX_BODY_BYTES,
    isReady: () => broker.connected, onKeyUsed: (id) => usage.used(id),
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.HUB_INGRESS_PORT, env.HUB_INGRESS_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${env.HUB_INGRESS_HOST}:${port}`,
    port,
    close: async () => {
      // Stop taking requests, let in-flight ones finish (their publishes confirm), then disconnect.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await usage.close();
      await broker.close();
      await pool.end();
    },
  };
}

/** The worker process: consumes hub.work and runs each event's sync plan. */
export async function startWorker(env: DataPlaneEnv): Promise<Running> {
  const { pool, store, vault } = shared(env);
  const allowHosts = parseAllowHosts(env.HUB_OUTBOUND_ALLOW_HOSTS);
  const refresher = vaultRefresher(vault, (url) => assertOutboundUrl(url, allowHosts), (id, secret) => store.replaceCredential(id, secret));
  const usage = new LastUsedRecorder(pool, 'credentials', env.HUB_LAST_USED_FLUSH_MS);
  const credentialOf = async (id: string) => {
    usage.used(id);
    return store.credential(id);
  };
  const pipeline = new SyncPipeline(new ConnectorClient(credentialOf, new OAuth2TokenCache(), allowHosts, env.HUB_HTTP_TIMEOUT_MS, refresher));
  const recorder = new OutcomeRecorder(pool);
  const broker = new BrokerConnection(env.HUB_AMQP_URL, async (ch) => {
    await declareTopology(ch, env.HUB_RETRY_SCHEDULE_MS);
    await subscribeConfig(ch, (change) => store.apply(change));
    await startWorkConsumer(ch, { store, pipeline, recorder, retryScheduleMs: env.HUB_RETRY_SCHEDULE_MS, prefetch: env.HUB_WORKER_PREFETCH });
  }, 'worker');
  await broker.start();
  return {
    close: async () => {
      await broker.close();
      await usage.close();
      await pool.end();
    },
  };
}
