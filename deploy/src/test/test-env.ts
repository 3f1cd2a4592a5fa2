// Helpers for integration test files. The servers come from the integration globalSetup
// (deploy/src/test/global-setup.ts), which hands their coordinates to workers in HUB_TEST_* variables.
import { randomBytes } from 'node:crypto';
import { requireTestInfra } from '../env';
import { createDatabaseAt, dropDatabaseAt } from '../local/postgres.local';
import { addVhostOverHttp, deleteVhostOverHttp } from '../local/rabbitmq.management';
import { addVhostVia, deleteVhostVia } from '../local/rabbitmq.ctl';
import { startRabbit } from '../local/rabbitmq.local';

export interface TestResource {
  name: string;
  url: string;
  /** Deletes the database / vhost (sessions and queues included). Safe to call twice. */
  drop(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** A fresh, empty database on the test server; its URL connects as a superuser. */
export async function createTestDatabase(): Promise<TestResource> {
  const { pgAdminUrl } = requireTestInfra();
  const name = uniqueName('hub_test');
  const url = await createDatabaseAt(pgAdminUrl, name);
  return { name, url, drop: once(() => dropDatabaseAt(pgAdminUrl, name)) };
}

/**
 * A fresh vhost on the test broker where the URL's user (guest) may do anything.
 * Against an external broker (HUB_AMQP_URL) without HUB_RABBIT_MANAGEMENT_URL there is no way to
 * add vhosts: the broker's URL is returned as is and drop() does nothing.
 */
export async function createTestVhost(): Promise<TestResource> {
  const infra = requireTestInfra();
  const name = uniqueName('hub-test');
  if (infra.rabbit) {
    const target = infra.rabbit;
    const url = await addVhostVia(target, infra.amqpUrl, name);
    return { name, url, drop: once(() => deleteVhostVia(target, name)) };
  }
  if (infra.rabbitManagementUrl) {
    const api = infra.rabbitManagementUrl;
    const url = await addVhostOverHttp(api, infra.amqpUrl, name);
    return { name, url, drop: once(() => deleteVhostOverHttp(api, name)) };
  }
  const shared = decodeURIComponent(new URL(infra.amqpUrl).pathname.slice(1)) || '/';
  return { name: shared, url: infra.amqpUrl, drop: async () => undefined };
}

/**
 * A broker of the test's own, for fault tests that kill or restart it (boot takes 5–7 s):
 * `const rabbit = await startDedicatedRabbit()`, then `rabbit.kill()`, `rabbit.restart()`, and
 * `rabbit.stop()` in afterAll.
 */
export const startDedicatedRabbit = startRabbit;
