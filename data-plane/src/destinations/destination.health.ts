import type { ConfirmedPublisher } from '@datahub/connectors';
import { ConfigChangedSchema, ConfigChangeKind, ContentTypes, create, Exchanges, messageBytes } from '@datahub/proto';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';

/**
 * A destination that keeps failing is switched off: the first failure starts its streak
 * (failing_since), a delivery that works ends it, and a failure once the streak is longer than
 * `disableAfterMs` disables it, writes an audit entry for its owner (auditLog, operation
 * destination.disabled) and tells every process (ConfigChanged).
 */
export class DestinationHealth {
  constructor(private readonly db: Database, private readonly publisher: ConfirmedPublisher, private readonly disableAfterMs: number, private readonly forget: (id: string, tenantId: string) => void) {}

  async succeeded(destinationId: string): Promise<void> {
    await this.db.query('UPDATE destinations SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL', [destinationId], 'dest-ok');
  }

  /** Returns true when this failure disabled the destination. */
  async failed(destinationId: string, reason: string): Promise<boolean> {
    const { rows: [d] } = await this.db.query(
      `UPDATE destinations SET failing_since = COALESCE(failing_since, now()) WHERE id = $1
       RETURNING tenant_id, enabled, failing_since, now() - failing_since >= make_interval(secs => $2::double precision / 1000) AS too_long`,
      [destinationId, this.disableAfterMs], 'dest-failed');
    if (!d?.enabled || !d.too_long) return false;
    const message = `Disabled automatically: every delivery failed since ${new Date(d.failing_since).toISOString()} (last: ${reason})`;
    const disabled = await this.db.tx(async (c) => {
      const { rowCount } = await c.query('UPDATE destinations SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND enabled', [destinationId, message]);
      if (!rowCount) return false;
      await c.query(
        `INSERT INTO audit_log (tenant_id, actor, operation, outcome, target_type, target_id, after)
         VALUES ($1, 'system', 'destination.disabled', 'ok', 'Destination', $2, $3)`,
        [d.tenant_id, destinationId, JSON.stringify({ enabled: false, disabledReason: message, failingSince: d.failing_since })]);
      return true;
    });
    if (!disabled) return false;
    logger.warn({ destinationId, tenantId: d.tenant_id, reason }, 'webhook destination disabled after failing too long; its owner is notified in the audit log');
    this.forget(destinationId, d.tenant_id);
    const change = create(ConfigChangedSchema, { kind: ConfigChangeKind.DESTINATION_CHANGED, tenantId: d.tenant_id, destinationId, atMs: BigInt(Date.now()) });
    await this.publisher.publish(Exchanges.config, '', messageBytes(ConfigChangedSchema, change), { contentType: ContentTypes.configChanged, persistent: false, mandatory: false })
      .catch((err: unknown) => logger.warn({ err: String(err) }, 'could not announce the disabled destination; caches expire on their own'));
    return true;
  }
}
