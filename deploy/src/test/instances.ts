import type { LocalPostgres } from '../local/postgres.local';
import type { LocalRabbit } from '../local/rabbitmq.local';

/** What globalSetup started, for globalTeardown (both run in jest's main process). */
export interface TestInstances {
  postgres?: LocalPostgres;
  rabbit?: LocalRabbit;
}

const KEY = Symbol.for('datahub.test.instances');
type Holder = { [KEY]?: TestInstances };

export function keepInstances(instances: TestInstances): void {
  (globalThis as Holder)[KEY] = instances;
}

export function takeInstances(): TestInstances {
  const instances = (globalThis as Holder)[KEY] ?? {};
  delete (globalThis as Holder)[KEY];
  return instances;
}

/** Stops whatever was started; reports the first failure after trying all. */
export async function stopInstances(instances: TestInstances): Promise<void> {
  const results = await Promise.allSettled([instances.postgres?.stop(), instances.rabbit?.stop()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
