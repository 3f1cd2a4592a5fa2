import { workerMetrics } from '@datahub/connectors';
import { logger } from '../logger';
import type { Database } from '../store/db.pool';
import { nextCircuitState, type BreakerPolicy, type CircuitEvent, type CircuitState } from './circuit.states';

/** A target: one host called with one credential. */
export interface TargetRef {
  key: string;
  host: string;
  credentialId: string;
  tenantId: string;
}

interface Known {
  state: CircuitState;
  openedAtMs: number;
  probeUntilMs: number;
}

export type Admission = { ok: true; probe: boolean } | { ok: false; untilMs: number; reason: string };

/**
 * One circuit breaker per target, shared by every worker through `target_circuits`. For a healthy
 * target the hot path reads only memory: open circuits are re-read every `refreshMs`; a target
 * this worker saw fail lately is re-read before each call; only failures, probes and their
 * outcomes write. While a circuit is open, callers park their work until the probe is due.
 */
export class CircuitBreakers {
  private known = new Map<string, Known>();
  /** Targets this worker saw fail within the window: their shared state is read before each call. */
  private readonly suspect = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: Database, private readonly policy: BreakerPolicy, private readonly probeTimeoutMs: number, refreshMs = 1_000) {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), refreshMs);
    this.timer.unref();
  }

  async admit(t: TargetRef, now = Date.now()): Promise<Admission> {
    const failedAt = this.suspect.get(t.key);
    if (failedAt !== undefined && now - failedAt > this.policy.windowMs) this.suspect.delete(t.key);
    else if (failedAt !== undefined) await this.reload(t.key);
    const k = this.known.get(t.key);
    if (!k || k.state === 'closed') return { ok: true, probe: false };
    const probeDueMs = k.state === 'open' ? k.openedAtMs + this.policy.openMs : k.probeUntilMs;
    if (now < probeDueMs) return { ok: false, untilMs: probeDueMs, reason: `circuit ${k.state.replace('_', '-')} for ${t.host}` };
    return (await this.move(t, 'probe')) ? { ok: true, probe: true } : { ok: false, untilMs: now + 1_000, reason: `circuit half-open for ${t.host}; another worker probes it` };
  }

  /** After a call that was admitted: `failed` when the target looked unhealthy (5xx, network, timeout). */
  async settle(t: TargetRef, admission: Admission, failed: boolean, reason: string): Promise<void> {
    if (admission.ok && admission.probe) {
      await this.move(t, failed ? 'failure' : 'success', reason);
      return;
    }
    if (!failed) return;
    this.suspect.set(t.key, Date.now());
    const { rows: [row] } = await this.db.query(
      `INSERT INTO target_circuits (target, tenant_id, host, credential_id, failures, window_started_at, last_failure)
       VALUES ($1, $2, $3, $4, 1, now(), $5)
       ON CONFLICT (target) DO UPDATE SET
         failures = CASE WHEN target_circuits.window_started_at IS NULL OR target_circuits.window_started_at < now() - $6 * interval '1 millisecond'
                         THEN 1 ELSE target_circuits.failures + 1 END,
         window_started_at = CASE WHEN target_circuits.window_started_at IS NULL OR target_circuits.window_started_at < now() - $6 * interval '1 millisecond'
                         THEN now() ELSE target_circuits.window_started_at END,
         last_failure = $5, updated_at = now()
       RETURNING state, failures, opened_at, probe_until`,
      [t.key, t.tenantId, t.host, t.credentialId, reason.slice(0, 500), this.policy.windowMs],
    );
    this.remember(t.key, row!);
    if (row!.state === 'closed' && row!.failures >= this.policy.failures) await this.move(t, 'tripped', reason);
  }

  /** Applies one transition if the shared row is still in the state it moves from; true when this worker made it. */
  private async move(t: TargetRef, event: CircuitEvent, reason = ''): Promise<boolean> {
    const from = (['closed', 'open', 'half_open'] as const).filter((s) => nextCircuitState(s, event) !== null);
    const to = nextCircuitState(from[0]!, event)!;
    const { rows: [row] } = await this.db.query(
      `UPDATE target_circuits SET state = $2, updated_at = now(),
              opened_at = CASE WHEN $2 = 'open' THEN now() ELSE opened_at END,
              half_opened_at = CASE WHEN $2 = 'half_open' THEN now() ELSE half_opened_at END,
              closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END,
              failures = CASE WHEN $2 = 'closed' THEN 0 ELSE failures END,
              probe_until = CASE WHEN $2 = 'half_open' THEN now() + $4 * interval '1 millisecond' ELSE NULL END
        WHERE target = $1 AND state = ANY($3::text[])
          AND ($2 <> 'half_open' OR (state = 'open' AND opened_at <= now() - $5 * interval '1 millisecond') OR (state = 'half_open' AND probe_until < now()))
        RETURNING state, opened_at, probe_until`,
      [t.key, to, from, this.probeTimeoutMs, this.policy.openMs],
    );
    if (!row) return false;
    this.remember(t.key, row);
    if (event === 'tripped' || (event === 'failure' && to === 'open')) {
      logger.warn({ operationalEvent: 'circuit_opened', target: t.host, credentialId: t.credentialId, tenantId: t.tenantId, reason }, 'circuit breaker opened: deliveries to this target wait until a probe succeeds');
    } else if (to === 'closed') {
      logger.info({ operationalEvent: 'circuit_closed', target: t.host, credentialId: t.credentialId, tenantId: t.tenantId }, 'circuit breaker closed');
    }
    return true;
  }

  /** Every circuit that is not closed; the rest are forgotten (closed). */
  async refresh(): Promise<void> {
    const { rows } = await this.db.query(`SELECT target, state, opened_at, probe_until FROM target_circuits WHERE state <> 'closed'`);
    const next = new Map<string, Known>();
    for (const r of rows) next.set(r.target, known(r));
    this.known = next;
    // Every worker reads the shared table, so each reports every target's state (alerts take max).
    workerMetrics().breakers(rows.map((r) => [String(r.target).split('#')[0]!, r.state]));
  }

  private async reload(key: string): Promise<void> {
    const { rows: [row] } = await this.db.query(`SELECT state, opened_at, probe_until FROM target_circuits WHERE target = $1`, [key]);
    if (row) this.remember(key, row);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private remember(key: string, row: Record<string, any>): void {
    this.known.set(key, known(row));
  }
}

function known(r: Record<string, any>): Known {
  return { state: r.state, openedAtMs: r.opened_at ? new Date(r.opened_at).getTime() : 0, probeUntilMs: r.probe_until ? new Date(r.probe_until).getTime() : 0 };
}
