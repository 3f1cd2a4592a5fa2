import { ContentTypes, create, Exchanges, fromBinary, Headers, HubEventSchema, RoutingKeys, toBinary } from '@datahub/proto';
import { In, IsNull } from 'typeorm';
import type { ConfirmedPublisher } from '@datahub/connectors';
import { InvalidInput } from '../common/errors';
import { fromGlobalId, toGlobalId } from '../common/global-id';
import type { TenantScope } from '../common/tenant.scope';
import { DeadLetterEntity, SyncEntity, SyncVersionEntity } from '../db/base.entities';

/** Dead letters one replayDeadLetters call takes at most (given ids, or the oldest unreplayed ones). */
export const MAX_REPLAY_BATCH = 500;

export interface ReplayResult {
  /** Global id of the dead letter, as asked for. */
  id: string;
  eventId: string | null;
  replayed: boolean;
  error: string | null;
}

/**
 * Sends dead-lettered events through the pipeline again: the stored HubEvent, same event id (so the
 * delivery log joins up), as a new attempt series (attempt 1, not parked) of the chosen version,
 * published to hub.events/work mandatory and confirmed. A dead letter is claimed (replayed_at) before
 * it is published and released again when the publish fails, so each one is replayed at most once.
 */
export class DeadLetterReplayer {
  constructor(private readonly amqp: ConfirmedPublisher) {}

  async replay(scope: TenantScope, syncGlobalId: string, ids: string[] | undefined, version: number | undefined) {
    const sync = await scope.load(SyncEntity, 'Sync', syncGlobalId, 'syncId');
    if (version !== undefined) {
      const row = await scope.repo(SyncVersionEntity).findOneBy(scope.where<SyncVersionEntity>({ syncId: sync.id, version }));
      if (row?.state !== 'active') {
        throw new InvalidInput('version', `Version ${version} of this sync is not active; replay with the active version (${sync.activeVersion ?? 'none yet'}) or leave version out to use each event's own`);
      }
    }
    if (ids && ids.length > MAX_REPLAY_BATCH) throw new InvalidInput('ids', `At most ${MAX_REPLAY_BATCH} dead letters per call`);
    const rawIds = ids?.map((id, i) => fromGlobalId('DeadLetter', id, `ids.${i}`));
    const repo = scope.repo(DeadLetterEntity);
    const rows = rawIds
      ? await repo.findBy(scope.where<DeadLetterEntity>({ syncId: sync.id, id: In(rawIds) }))
      : await repo.find({ where: scope.where<DeadLetterEntity>({ syncId: sync.id, replayedAt: IsNull() }), order: { createdAt: 'ASC' }, take: MAX_REPLAY_BATCH });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const order = rawIds ?? rows.map((r) => r.id);
    const results: ReplayResult[] = [];
    for (const rawId of order) {
      const row = byId.get(rawId);
      results.push(row
        ? await this.replayOne(scope, row, version ?? row.syncVersion)
        : { id: toGlobalId('DeadLetter', rawId), eventId: null, replayed: false, error: 'No dead letter with this id for this sync' });
    }
    return { sync, before: rows, results };
  }

  private async replayOne(scope: TenantScope, row: DeadLetterEntity, version: number): Promise<ReplayResult> {
    const result = { id: toGlobalId('DeadLetter', row.id), eventId: row.eventId };
    const claimed: { event: Buffer }[] = await scope.ds.query(
      `UPDATE dead_letters SET replayed_at = now(), replayed_version = $3
        WHERE id = $1 AND tenant_id = $2 AND replayed_at IS NULL RETURNING event`,
      [row.id, scope.tenantId, version],
    ).then(([rows]: [{ event: Buffer }[]]) => rows);
    if (claimed.length === 0) {
      const [now] = await scope.repo(DeadLetterEntity).findBy(scope.where<DeadLetterEntity>({ id: row.id }));
      return { ...result, replayed: false, error: `Already replayed at ${now?.replayedAt?.toISOString()} with version ${now?.replayedVersion}; nothing sent` };
    }
    try {
      const stored = fromBinary(HubEventSchema, claimed[0].event);
      const event = create(HubEventSchema, { ...stored, syncVersion: version, attempt: 1, notBeforeMs: 0n });
      await this.amqp.publish(Exchanges.events, RoutingKeys.work, Buffer.from(toBinary(HubEventSchema, event)), {
        mandatory: true, persistent: true, messageId: event.eventId, contentType: ContentTypes.hubEvent,
        timestamp: Math.floor(Date.now() / 1000), headers: { [Headers.eventId]: event.eventId },
      });
      return { ...result, replayed: true, error: null };
    } catch (e) {
      await scope.ds.query(`UPDATE dead_letters SET replayed_at = NULL, replayed_version = NULL WHERE id = $1 AND tenant_id = $2`, [row.id, scope.tenantId]);
      return { ...result, replayed: false, error: `Not replayed: ${e instanceof Error ? e.message : String(e)}; try again` };
    }
  }
}
