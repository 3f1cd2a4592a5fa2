import type { SentEvent } from './open-loop.driver';
import { emailOf, type ReceiptLog } from './receipt.log';

/** What happened to a set of events, as a user of the hub would count it. */
export interface LoadOutcome {
  sent: number;
  accepted: number;
  /** Refusals by HTTP status, and requests without an answer by error code (`ECONNRESET`, …). */
  refused: Record<string, number>;
  networkErrors: Record<string, number>;
  delivered: number;
  deadLettered: number;
  /** Accepted, not delivered and not dead-lettered. */
  lost: number;
  /** Events the target received more than once, and the surplus writes. */
  duplicates: number;
  extraDeliveries: number;
  /** Refused (not 202) but delivered all the same: not a loss, worth knowing. */
  deliveredUnaccepted: number;
  offeredPerSec: number;
  acceptedPerSec: number;
  /** Delivered events per second, from the first due time to the last first delivery. */
  deliveredPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** p95 latency of the events due in each 5 s window, in order: shows a stall that one p95 hides. */
  p95ByWindowMs: number[];
  /** A few lost event ids, for the report. */
  lostSample: string[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const WINDOW_MS = 5_000;

const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);

/** The delivery of each event is matched by its profile's e-mail (one distinct profile per event). */
export function summarize(events: readonly SentEvent[], receipts: ReceiptLog, deadLetters: ReadonlySet<string>): LoadOutcome {
  const refused: Record<string, number> = {};
  const networkErrors: Record<string, number> = {};
  const latencies: number[] = [];
  const byWindow: number[][] = [];
  const lostSample: string[] = [];
  let accepted = 0, delivered = 0, deadLettered = 0, lost = 0, duplicates = 0, extra = 0, deliveredUnaccepted = 0;
  let lastDelivery = 0;
  for (const e of events) {
    const got = receipts.of(emailOf(e.profileId))?.filter((t) => t >= e.dueMs - 1) ?? [];
    if (e.status !== 202) {
      if (e.status === 0) bump(networkErrors, e.error ?? 'unknown');
      else bump(refused, String(e.status));
      if (got.length) deliveredUnaccepted++;
      continue;
    }
    accepted++;
    if (got.length) {
      delivered++;
      const first = Math.min(...got);
      latencies.push(first - e.dueMs);
      (byWindow[Math.floor((e.dueMs - (events[0]?.dueMs ?? 0)) / WINDOW_MS)] ??= []).push(first - e.dueMs);
      lastDelivery = Math.max(lastDelivery, first);
      if (got.length > 1) {
        duplicates++;
        extra += got.length - 1;
      }
    } else if (e.eventId && deadLetters.has(e.eventId)) {
      deadLettered++;
    } else {
      lost++;
      if (lostSample.length < 5) lostSample.push(e.eventId ?? `seq ${e.seq}`);
    }
  }
  latencies.sort((a, b) => a - b);
  const first = events[0]?.dueMs ?? 0;
  const lastDue = events[events.length - 1]?.dueMs ?? first;
  const spanSec = Math.max(0.001, (lastDue - first) / 1000 + (events.length > 1 ? (lastDue - first) / 1000 / (events.length - 1) : 0));
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sent: events.length, accepted, refused, networkErrors, delivered, deadLettered, lost, duplicates, extraDeliveries: extra,
    deliveredUnaccepted,
    offeredPerSec: round(events.length / spanSec),
    acceptedPerSec: round(accepted / spanSec),
    deliveredPerSec: round(delivered / Math.max(spanSec, (lastDelivery - first) / 1000)),
    latencyMs: {
      p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? NaN),
    },
    p95ByWindowMs: [...byWindow].map((w) => (w ? round(percentile(w.sort((a, b) => a - b), 95)) : NaN)),
    lostSample,
  };
}

/**
 * Waits until every accepted event was delivered or dead-lettered, or `timeoutMs` passed; then a
 * short settle so late duplicates are seen. Resolves with the dead letters' event ids.
 */
export async function drain(
  events: readonly SentEvent[], receipts: ReceiptLog, deadLetters: () => Promise<ReadonlySet<string>>,
  opts: { timeoutMs: number; settleMs?: number; pollMs?: number },
): Promise<{ deadLetters: ReadonlySet<string>; drained: boolean; waitedMs: number }> {
  const started = Date.now();
  let open = events.filter((e) => e.status === 202);
  let dead: ReadonlySet<string> = new Set();
  for (;;) {
    open = open.filter((e) => !receipts.of(emailOf(e.profileId))?.length);
    if (open.length) {
      dead = await deadLetters().catch(() => dead);
      open = open.filter((e) => !(e.eventId && dead.has(e.eventId)));
    }
    if (!open.length || Date.now() - started > opts.timeoutMs) break;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
  await new Promise((r) => setTimeout(r, opts.settleMs ?? 1000));
  dead = await deadLetters().catch(() => dead);
  return { deadLetters: dead, drained: open.length === 0, waitedMs: Date.now() - started };
}
