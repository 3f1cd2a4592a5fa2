import { Pool } from 'undici';
import { nowMs } from './receipt.log';

/** One notify the driver sent, and what the hub answered. */
export interface SentEvent {
  seq: number;
  profileId: string;
  /** When it was due by the schedule (latency counts from here, so queueing in the client counts). */
  dueMs: number;
  sentMs: number;
  answeredMs?: number;
  /** HTTP status; 0 when the request failed without one (see `error`). */
  status: number;
  /** Network error code (ECONNRESET, ECONNREFUSED, timeout) when there was no HTTP answer. */
  error?: string;
  eventId?: string;
}

export interface OpenLoopOptions {
  /** The sync's inbound URL through the gateway; `?id=<profileId>` is appended. */
  inboundUrl: string;
  ratePerSec: number;
  durationSec: number;
  /** The profile id of the seq-th event (distinct ids make every delivery attributable). */
  profileIdOf: (seq: number) => string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Called on every answer (e.g. to watch for refusals while a fault is on). */
  onAnswer?: (e: SentEvent) => void;
}

export interface OpenLoopRun {
  /** Every event, in schedule order; complete once `done` resolved. */
  events: SentEvent[];
  /** Resolves when every event was sent and answered (or failed). */
  done: Promise<SentEvent[]>;
  /** Stops sending further events (those already sent are still awaited). */
  stop(): void;
}

/**
 * Open-loop load: event i is sent at start + i/rate whatever is still in flight, so a slow hub
 * builds a queue instead of slowing the offered rate down (no coordinated omission).
 */
export function driveOpenLoop(opts: OpenLoopOptions): OpenLoopRun {
  // Idle sockets are dropped after 4 s, before the gateway's 5 s keep-alive timeout closes them:
  // otherwise reusing a socket the server is closing shows up as a spurious ECONNRESET.
  // undici's pool: the load generator shares the 2 cores with the hub, so it should cost little
  // (node:http's client cost ~0.3 ms of CPU per notify). Idle sockets close before the gateway's
  // keep-alive timeout, so a request never lands on a connection the server is closing.
  const inbound = new URL(opts.inboundUrl);
  const path = `${inbound.pathname}${inbound.search}`;
  const pool = new Pool(inbound.origin, { connections: 512, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
  const total = Math.round(opts.ratePerSec * opts.durationSec);
  const intervalMs = 1000 / opts.ratePerSec;
  const events: SentEvent[] = [];
  const pending = new Set<Promise<void>>();
  const start = nowMs() + 5;
  let next = 0;
  let stopped = false;
  let finish!: () => void;
  const allSent = new Promise<void>((r) => (finish = r));

  const send = async (e: SentEvent): Promise<void> => {
    let status = 0;
    let error: string | undefined;
    let body = '';
    try {
      const res = await pool.request({
        path: `${path}?id=${encodeURIComponent(e.profileId)}`, method: 'GET',
        headersTimeout: opts.timeoutMs ?? 10_000, bodyTimeout: opts.timeoutMs ?? 10_000,
      });
      status = res.statusCode;
      body = await res.body.text();
    } catch (err) {
      const x = err as NodeJS.ErrnoException & { cause?: { code?: string } };
      error = /TIMEOUT/.test(x.code ?? '') ? 'ETIMEDOUT' : (x.cause?.code ?? x.code ?? x.message);
    }
    e.answeredMs = nowMs();
    e.status = status;
    if (error) e.error = error;
    if (status === 202 && body) {
      try {
        e.eventId = (JSON.parse(body) as { eventId?: string }).eventId;
      } catch {
        /* a 202 without an event id stays without one */
      }
    }
    opts.onAnswer?.(e);
  };

  const tick = () => {
    const now = nowMs();
    while (!stopped && next < total && start + next * intervalMs <= now) {
      const e: SentEvent = { seq: next, profileId: opts.profileIdOf(next), dueMs: start + next * intervalMs, sentMs: nowMs(), status: 0 };
      events.push(e);
      const p = send(e).finally(() => pending.delete(p));
      pending.add(p);
      next++;
    }
    if (stopped || next >= total) return finish();
    setTimeout(tick, Math.max(0, Math.min(2, start + next * intervalMs - nowMs())));
  };
  setTimeout(tick, 5);

  const done = (async () => {
    await allSent;
    while (pending.size) await Promise.all([...pending]);
    await pool.close();
    return events;
  })();
  return { events, done, stop: () => void (stopped = true) };
}
