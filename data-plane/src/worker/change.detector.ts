import { createHash } from 'node:crypto';
import type { Fingerprint } from './entity.lease';

/** JSON with object keys sorted at every level, so equal payloads hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of the canonical mapped payload: what change detection compares. */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

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
