/** Circuit breaker states and the moves between them, as data (the integration spec: 5 failures in 60 s, probe after 30 s). */
export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** tripped: enough failures in the window; probe: a worker claims the one trial call; success/failure: how the probe went. */
export type CircuitEvent = 'tripped' | 'probe' | 'success' | 'failure';

const TRANSITIONS: Record<CircuitState, Partial<Record<CircuitEvent, CircuitState>>> = {
  closed: { tripped: 'open' },
  open: { probe: 'half_open' },
  // A probe whose worker vanished may be claimed again once it has expired.
  half_open: { success: 'closed', failure: 'open', probe: 'half_open' },
};

/** The state after `event`, or null when the event does not move a circuit in `state`. */
export function nextCircuitState(state: CircuitState, event: CircuitEvent): CircuitState | null {
  return TRANSITIONS[state][event] ?? null;
}

export interface BreakerPolicy {
  failures: number;
  windowMs: number;
  openMs: number;
}
