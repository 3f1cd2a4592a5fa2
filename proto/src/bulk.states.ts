/**
 * Bulk runs and accuracy audits: their states and allowed moves, one table both planes use. The
 * control plane creates runs (queued) and cancels them; the scheduler runs them. A move not in the
 * table is refused, so a late cancel cannot reopen a finished run.
 *
 * queued ──start──▶ running ──pages done──▶ draining ──all processed──▶ succeeded
 *    │                 │  │                    │
 *    └──cancel──▶ cancelled ◀──stopped── cancelling ◀──cancel──┘
 *                      └── error ──▶ failed
 */
export const BULK_RUN_STATES = ['queued', 'running', 'draining', 'cancelling', 'succeeded', 'failed', 'cancelled'] as const;
export type BulkRunStateName = (typeof BULK_RUN_STATES)[number];

export const BULK_RUN_TRANSITIONS: Record<BulkRunStateName, readonly BulkRunStateName[]> = {
  queued: ['running', 'cancelled'],
  running: ['draining', 'cancelling', 'failed'],
  draining: ['succeeded', 'cancelling', 'failed'],
  cancelling: ['cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

/** States in which a run still belongs to the scheduler (a new leader resumes these). */
export const BULK_RUN_OPEN_STATES: readonly BulkRunStateName[] = ['queued', 'running', 'draining', 'cancelling'];

/** The states a run may be in for a move to `to` (for a conditional UPDATE … WHERE state = ANY(…)). */
export function bulkRunStatesBefore(to: BulkRunStateName): BulkRunStateName[] {
  return BULK_RUN_STATES.filter((s) => BULK_RUN_TRANSITIONS[s].includes(to));
}

export const BULK_RUN_MODES = ['full', 'incremental', 'repair'] as const;
export type BulkRunModeName = (typeof BULK_RUN_MODES)[number];

export const BULK_RUN_TRIGGERS = ['manual', 'schedule', 'audit_repair'] as const;
export type BulkRunTriggerName = (typeof BULK_RUN_TRIGGERS)[number];

export const AUDIT_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type AuditStateName = (typeof AUDIT_STATES)[number];

export const AUDIT_VERDICTS = ['match', 'mismatch', 'missing', 'unreadable'] as const;
export type AuditVerdictName = (typeof AUDIT_VERDICTS)[number];
