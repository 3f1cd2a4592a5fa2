import type { CredentialStatusName } from '@datahub/proto';
import type { CredentialEntity } from '../db/base.entities';

type StatusColumns = Pick<CredentialEntity, 'status' | 'statusReason' | 'statusChangedAt'>;

/**
 * The status columns once a credential is `status` for `reason` (null when active). statusChangedAt
 * moves only when the status or its reason changes, so a repeated success keeps the original time.
 */
export function withStatus(row: StatusColumns, status: CredentialStatusName, reason: string | null, now = new Date()): StatusColumns {
  const statusReason = status === 'active' ? null : reason;
  const unchanged = row.status === status && (row.statusReason ?? null) === statusReason;
  return { status, statusReason, statusChangedAt: unchanged ? row.statusChangedAt : now };
}
