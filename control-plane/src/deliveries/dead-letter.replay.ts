import { ContentTypes, create, Exchanges, fromBinary, Headers, HubEventSchema, RoutingKeys, messageBytes } from '@datahub/proto';
import { Between, ILike, In, IsNull, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
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
  /** The attempt series the replay runs as (1 for the first replay of an event); null when nothing was sent. */
  replay: number | null;
  error: string | null;
}

export interface ReplayRequest {
  /** Global id of a sync: only its dead letters (needed with `version`). */
  syncId?: string;
  ids?: string[];
  /** Without ids: which unreplayed dead letters (reason contains, created in [from, to)). */
  filter?: { reasonContains?: string; from?: Date; to?: Date };
  version?: number;
}

/**
 * Sends dead-lettered events through the pipeline again: the stored HubEvent, same event id (so the
 * delivery log joins up), as a new attempt series (replay n+1, attempt 1, not parked) of the chosen
 * version, published to hub.events/work mandatory and confirmed. A dead letter is claimed
 * (replayed_at) before it is published and released again when the publish fails, so each one is
 * replayed at most once, however many calls race for it.
 */
export class DeadLetterReplayer {
  constructor(private readonly amqp: ConfirmedPublisher) {}

  async replay(scope: TenantScope, req: ReplayRequest) {
    const sync = req.syncId ? await scope.load(SyncEntity, 'Sync', req.syncId, 'syncId') : null;
    if (req.version !== undefined) {
      if (!sync) throw new InvalidInput('syncId', 'Replaying with a version needs the syncId it is a version of');
      const row = await scope.repo(SyncVersionEntity).findOneBy(scope.where<SyncVersionEntity>({ syncId: sync.id, version: req.version }));
      if (row?.state !== 'active') {
        throw new InvalidInput('version', `Version ${req.version} of this sync is not active; replay with the active version (${sync.activeVersion ?? 'none yet'}) or leave version out to use each event's own`);
      }
    }
    if (req.ids && req.filter) throw new InvalidInput('filter', 'Give ids or a filter, not both');
    if (req.ids && req.ids.length > MAX_REPLAY_BATCH) throw new InvalidInput('ids', `At most ${MAX_REPLAY_BATCH} dead letters per call`);
    const rawIds = req.ids?.map((id, i) => fromGlobalId('DeadLetter', id, `ids.${i}`));
    const repo = scope.repo(DeadLetterEntity);
    const bySync: FindOptionsWhere<DeadLetterEntity> = sync ? { syncId: sync.id } : {};
    const rows = rawIds
      ? await repo.findBy(scope.where<DeadLetterEntity>({ ...bySync, id: In(rawIds) }))
      : await repo.find({ where: scope.where<DeadLetterEntity>({ ...bySync, ...filterWhere(req.filter), replayedAt: IsNull() }), order: { createdAt: 'ASC' }, take: MAX_REPLAY_BATCH });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const order = rawIds ?? rows.map((r) => r.id);
    const results: ReplayResult[] = [];
    for (const rawId of order) {
      const row = byId.get(rawId);
      results.push(row
        ? await this.replayOne(scope, row, req.version ?? row.syncVersion)
        : { id: toGlobalId('DeadLetter', rawId), eventId: null, replayed: false, replay: null, error: `No dead letter with this id${sync ? ' for this sync' : ''}` });
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
      return { ...result, replayed: false, replay: null, error: `Already replayed at ${now?.replayedAt?.toISOString()} with version ${now?.replayedVersion}; nothing sent` };
    }
    try {
      const stored = fromBinary(HubEventSchema, claimed[0].event);
      // The stored event is the one that failed last: a failed replay stores its own series number.
      const event = create(HubEventSchema, { ...stored, syncVersion: version, attempt: 1, notBeforeMs: 0n, replay: stored.replay + 1 });
      await this.amqp.publish(Exchanges.events, RoutingKeys.work, messageBytes(HubEventSchema, event), {
        mandatory: true, persistent: true, messageId: `${event.eventId}/${event.replay}`, contentType: ContentTypes.hubEvent,
        timestamp: Math.floor(Date.now() / 1000), headers: { [Headers.eventId]: event.eventId },
      });
      return { ...result, replayed: true, replay: event.replay, error: null };
    } catch (e) {
      await scope.ds.query(`UPDATE dead_letters SET replayed_at = NULL, replayed_version = NULL WHERE id = $1 AND tenant_id = $2`, [row.id, scope.tenantId]);
      return { ...result, replayed: false, replay: null, error: `Not replayed: ${e instanceof Error ? e.message : String(e)}; try again` };
    }
  }
}

function filterWhere(f: ReplayRequest['filter']): FindOptionsWhere<DeadLetterEntity> {
  if (!f) return {};
  if (f.from && f.to && !(f.to > f.from)) throw new InvalidInput('filter.to', 'filter.to must be after filter.from');
  const where: FindOptionsWhere<DeadLetterEntity> = {};
  if (f.reasonContains) where.reason = ILike(`%${f.reasonContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.from && f.to) where.createdAt = Between(f.from, new Date(f.to.getTime() - 1));
  else if (f.from) where.createdAt = MoreThanOrEqual(f.from);
  else if (f.to) where.createdAt = LessThan(f.to);
  return where;
}
