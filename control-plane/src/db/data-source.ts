import { DataSource } from 'typeorm';
import { ENTITIES } from './base.entities';
import { Initial1732000000000 } from './migrations/1732000000000-initial';
import { ProductSurface1732100000000 } from './migrations/1732100000000-product-surface';
import { DeliveryEngine1732200000000 } from './migrations/1732200000000-delivery-engine';
import { PauseReplay1732300000000 } from './migrations/1732300000000-pause-replay';
import { Sandbox1732400000000 } from './migrations/1732400000000-sandbox';
import { GraphqlRateBuckets1732410000000 } from './migrations/1732410000000-graphql-rate-buckets';
import { Lifecycle1732420000000 } from './migrations/1732420000000-lifecycle';
import { UsageLog1732500000000 } from './migrations/1732500000000-usage-log';
import { EgressProxy1732050000000 } from './migrations/1732050000000-egress-proxy';
import { BulkRuns1732600000000 } from './migrations/1732600000000-bulk-runs';
import { WebhookDestinations1732700000000 } from './migrations/1732700000000-webhook-destinations';
import { RateLease1732900000000 } from './migrations/1732900000000-rate-lease';
import { SyncTriggers1732800000000 } from './migrations/1732800000000-sync-triggers';
import { SyncTriggerEntity } from '../triggers/sync-trigger.entity';
import { DESTINATION_ENTITIES } from '../destinations/destination.entity';

export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [...ENTITIES, ...DESTINATION_ENTITIES, SyncTriggerEntity],
    migrations: [Initial1732000000000, ProductSurface1732100000000, DeliveryEngine1732200000000, PauseReplay1732300000000, Sandbox1732400000000, GraphqlRateBuckets1732410000000, Lifecycle1732420000000, UsageLog1732500000000, EgressProxy1732050000000, BulkRuns1732600000000, WebhookDestinations1732700000000, SyncTriggers1732800000000, RateLease1732900000000],
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10 },
  });
}

const MIGRATION_LOCK = 7_340_001;

/** Connects and applies pending migrations under an advisory lock, so several processes may start at once. */
export async function openDatabase(url: string): Promise<DataSource> {
  const ds = createDataSource(url);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return ds;
}
