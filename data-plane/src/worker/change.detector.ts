import type { Fingerprint } from './entity.lease';

export type ChangeVerdict = { send: true } | { send: false; outcome: 'unchanged' | 'superseded'; reason: string };

/**
 * Whether to deliver: not when the payload equals the one last delivered by the same sync version
 * (unchanged), nor when a pushed record is older than the one already delivered (superseded).
 */
export function changeVerdict(last: Fingerprint | null, hash: string, syncVersion: number, pushedAtMs: number | null): ChangeVerdict {
  if (!last) return { send: true };
  if (pushedAtMs !== null && pushedAtMs < last.receivedAtMs) {
    return { send: false, outcome: 'superseded', reason: `a newer record (received ${new Date(last.receivedAtMs).toISOString()}) was already delivered` };
  }
  if (last.syncVersion === syncVersion && last.hash === hash) {
    return { send: false, outcome: 'unchanged', reason: 'the mapped payload equals the one last delivered' };
  }
  return { send: true };
}
