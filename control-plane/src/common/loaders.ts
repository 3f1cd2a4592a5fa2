import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { CredentialEntity, SyncVersionEntity } from '../db/base.entities';

/**
 * Per-request batch loaders for relations, so a list of N syncs with their versions and credentials
 * costs a fixed number of queries, not N. Keys are raw ids already scoped by the caller's tenant.
 */
export function createLoaders(ds: DataSource, tenantId: () => string) {
  return {
    versionsBySync: new DataLoader<string, SyncVersionEntity[]>(async (syncIds) => {
      const rows = await ds.getRepository(SyncVersionEntity).find({ where: { syncId: In([...syncIds]), tenantId: tenantId() }, order: { version: 'ASC' } });
      return syncIds.map((id) => rows.filter((r) => r.syncId === id));
    }),
    credentials: new DataLoader<string, CredentialEntity | null>(async (ids) => {
      const rows = await ds.getRepository(CredentialEntity).findBy({ id: In([...ids]), tenantId: tenantId() });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
