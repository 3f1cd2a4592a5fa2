import { Attr, BrokerUnavailable, canonicalHash, changeLogObject, inSpan, MessageNotRouted, tracer, connectorRegistry, fillTemplate, isSplitUpsert, readPath, type ConnectorClient, type ConnectorRegistry, type EgressProxy, type HttpOperation, type HttpResult, type SplitUpsertOperation } from '@datahub/connectors';
import { create, DestinationEventSchema, TriggerKind, type DestinationEvent, type EndpointPlan, type HubEvent, type SyncPlan } from '@datahub/proto';
import { ROOT_CONTEXT, SpanKind, type Context } from '@opentelemetry/api';
import jsonata from 'jsonata';
import { changeVerdict } from './change.detector';
import { classify } from './delivery.classify';
import type { Fingerprint } from './entity.lease';
import type { PipelineTrace, StepError, StepName } from './pipeline.trace';
import { hostOf, isHeld, type TargetGuard } from './target.guard';

/**
 * How one run of one event ended. Every failure is one of these values, never an exception:
 * - ok: delivered (`hash` is the fingerprint to store);
 * - skipped: nothing to send (filtered, unchanged, superseded);
 * - retryable / permanent: failed; the consumer retries or dead-letters;
 * - held: a breaker or rate limit says "not now"; parked until `untilMs`, no attempt used.
 */
export type PipelineResult = { status: number | null; target: string | null } & (
  | { kind: 'ok'; hash: string | null }
  | { kind: 'skipped'; outcome: 'filtered' | 'unchanged' | 'superseded'; reason: string }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number; response?: string }
  | { kind: 'permanent'; reason: string; response?: string }
  | { kind: 'held'; untilMs: number; reason: string }
);

/** What a run saw, for the delivery log and usage, filled in as the steps pass (references only: cheap). */
export interface RunCapture {
  /** The source was read (a notify event's fetch succeeded). */
  fetched: boolean;
  record?: unknown;
  payload?: unknown;
  /** How long the delivery to the target took (all its calls), when one was made. */
  callMs?: number;
}

/** What the consumer learnt before running: the entity and what was last delivered for it. */
export interface RunContext {
  /** Filled in by the run when given (the worker's runs: delivery log and usage). */
  capture?: RunCapture;
  entityKey: string | null;
  last: Fingerprint | null;
  timeoutMs: number;
  /** The target's request limit (0: none). */
  ratePerSec: number;
  /** The source's published limit (0: none). */
  sourceRatePerSec: number;
  /** A sandbox run: record every step and request (and, in a dry run, send no write). */
  trace?: PipelineTrace;
  /** Bulk work yields the target's rate limit to real-time work waiting in this worker. */
  bulk?: boolean;
  /** The attempt's span context: the parent of each step's span (none in a sandbox run). */
  traceCtx?: Context;
}

const parentOf = (ctx: RunContext): Context => ctx.traceCtx ?? ROOT_CONTEXT;

type Failed = Extract<PipelineResult, { kind: 'retryable' | 'permanent' | 'held' }>;

const permanent = (reason: string, target: string | null = null, status: number | null = null): PipelineResult => ({ kind: 'permanent', reason, status, target });

/** The entity an event is about: the notified id (or a bulk record's id), or the pushed record's id field. */
export function entityKeyOf(event: HubEvent, plan: SyncPlan): string | null {
  if (event.entityId) return event.entityId;
  if (event.trigger !== TriggerKind.PUSH) return null;
  try {
    const id = readPath(JSON.parse(Buffer.from(event.recordJson).toString('utf8')), plan.trigger?.idParam || 'id');
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

/** fetch (notify) → filter → transform (JSONata) → change detection → deliver (signed, through the target guard). */
export class SyncPipeline {
  /** JSONata compiled once per (sync, version, expression), not per event. */
  private readonly compiled = new Map<string, jsonata.Expression>();

  constructor(
    private readonly client: ConnectorClient, private readonly guard: TargetGuard, private readonly registry: ConnectorRegistry = connectorRegistry(),
    /** The tenant's own egress proxy (fetches and deliveries go through it), or null for the operator's. */
    private readonly proxyOf: (tenantId: string) => Promise<EgressProxy | null> = async () => null,
    /** Hands a destination target's event to hub.destinations (confirmed); absent: such syncs cannot deliver here. */
    private readonly toDestinations: ((event: DestinationEvent) => Promise<void>) | null = null,
  ) {}

  async run(event: HubEvent, plan: SyncPlan, ctx: RunContext): Promise<PipelineResult> {
    try {
      return await this.steps(event, plan, ctx);
    } catch (e) {
      // A bug, not a platform's answer: retried like a transient failure, then dead-lettered, never lost.
      return { kind: 'retryable', reason: `internal error: ${(e as Error).message}`, status: null, target: null };
    }
  }

  private async steps(event: HubEvent, plan: SyncPlan, ctx: RunContext): Promise<PipelineResult> {
    const push = event.trigger === TriggerKind.PUSH;
    const capture = (ctx.capture ??= { fetched: false });
    let record: unknown;
    if (push) {
      const parsed = await this.step(ctx, 'receive', async () => parseRecord(event.recordJson), (r) => (r === NOT_JSON ? { output: null, error: { message: 'the pushed record is not valid JSON', position: null } } : { output: r }));
      if (parsed === NOT_JSON) return permanent('the pushed record is not valid JSON');
      record = parsed;
    } else {
      const fetched = await this.step(ctx, 'fetch', () => this.fetch(plan, event.entityId, ctx), (f) => ('kind' in f ? { output: null, error: resultError(f) } : { output: f.record }));
      if ('kind' in fetched) return fetched;
      record = fetched.record;
      capture.fetched = true;
    }
    capture.record = record;
    const input = { record, event: { id: event.eventId, entityId: event.entityId, attempt: event.attempt } };
    const target = plan.destination ? destinationLabel(plan) : hostOf(plan.target!.baseUrl);
    if (plan.filter) {
      const keep = await this.step(ctx, 'filter', () => inSpan('filter', { parent: parentOf(ctx) }, () => this.evaluate(plan, 'filter', input)), evalReport);
      if (keep instanceof EvalFailed) return permanent(keep.reason, target);
      if (!keep) return { kind: 'skipped', outcome: 'filtered', reason: 'the record does not match the sync filter', status: null, target };
    }
    const payload = await this.step(ctx, 'transform', () => inSpan('transform', { parent: parentOf(ctx) }, () => this.evaluate(plan, 'mapping', input)), evalReport);
    if (payload instanceof EvalFailed) return permanent(payload.reason, target);
    if (payload === undefined || payload === null) return permanent('transform: the mapping produced no payload', target);
    capture.payload = payload;
    const hash = ctx.entityKey ? canonicalHash(payload) : null;
    if (hash && !event.skipChangeDetection) {
      const verdict = await this.step(ctx, 'change_detection', async () => {
        // Synchronous: a span started and ended around it, without a callback context.
        const span = tracer.startSpan('change detection', {}, parentOf(ctx));
        const v = changeVerdict(ctx.last, hash, plan.version, push ? Number(event.receivedAtMs) : null);
        span.setAttribute(Attr.outcome, v.send ? 'changed' : v.outcome);
        span.end();
        return v;
      }, (v) => ({ output: { hash, ...v, last: ctx.last } }));
      if (!verdict.send) return { kind: 'skipped', outcome: verdict.outcome, reason: verdict.reason, status: null, target };
    }
    const started = performance.now();
    const deliver = plan.destination ? () => this.handOff(event, plan, ctx, payload, target) : () => this.deliver(plan, payload, ctx);
    const delivered = await this.step(ctx, 'deliver', deliver, (r) => ({ output: { result: r.kind, status: r.status, sent: !ctx.trace?.dryRun }, error: resultError(r) }));
    if (delivered.kind !== 'held') capture.callMs = Math.round(performance.now() - started);
    return delivered.kind === 'ok' ? { ...delivered, hash } : delivered;
  }

  /** One step: timed and recorded in a sandbox run, run plainly otherwise. */
  private step<T>(ctx: RunContext, name: StepName, fn: () => Promise<T>, describe: (value: T) => { output: unknown; error?: StepError | null }): Promise<T> {
    return ctx.trace ? ctx.trace.step(name, fn, describe) : fn();
  }

  private async fetch(plan: SyncPlan, entityId: string, ctx: RunContext): Promise<{ record: unknown } | PipelineResult> {
    const source = plan.source!;
    return inSpan('fetch', { kind: SpanKind.CLIENT, parent: parentOf(ctx), attributes: { [Attr.targetHost]: hostOf(source.baseUrl), 'hub.connector': source.connector } }, async (span) => {
      const r = await this.call(plan, source, source.operation, { id: entityId }, undefined, ctx, ctx.sourceRatePerSec);
      if ('kind' in r) return r;
      if (r.status !== null) span.setAttribute(Attr.status, r.status);
      if (r.status === 404 && r.phase === 'request') return permanent(`fetch: the source has no record ${entityId}`, hostOf(source.baseUrl), 404);
      const failed = failure('fetch', r, hostOf(source.baseUrl));
      if (failed) return failed;
      return { record: readPath(r.json, this.registry.httpOperation(source.connector, source.operation).record) };
    });
  }

  /** A compiled expression's value, or EvalFailed saying where it broke. */
  private async evaluate(plan: SyncPlan, which: 'mapping' | 'filter', input: unknown): Promise<unknown> {
    const key = `${plan.syncId}@${plan.version}:${which}`;
    const step = which === 'mapping' ? 'transform' : 'filter';
    try {
      let expr = this.compiled.get(key);
      if (!expr) {
        expr = jsonata(plan[which]);
        this.compiled.set(key, expr);
      }
      return await expr.evaluate(input);
    } catch (e) {
      const err = e as Error & { position?: number };
      return new EvalFailed(`${step}: ${err.message}${err.position !== undefined ? ` (at position ${err.position})` : ''}`, err.message, err.position ?? null);
    }
  }

  private async deliver(plan: SyncPlan, payload: unknown, ctx: RunContext): Promise<PipelineResult> {
    const target = plan.target!;
    const host = hostOf(target.baseUrl);
    return inSpan('deliver', { kind: SpanKind.CLIENT, parent: parentOf(ctx), attributes: { [Attr.targetHost]: host, 'hub.connector': target.connector } }, async (span) => {
      const op = this.registry.operation(target.connector, target.operation);
      let result: PipelineResult;
      if (!op) result = permanent(`deliver: ${target.connector} has no operation ${target.operation}`, host);
      else if (isSplitUpsert(op)) result = await this.splitUpsert(plan, op, payload, ctx);
      else {
        const vars = payloadVars(op, target.params, payload);
        if (typeof vars === 'string') result = permanent(vars, host);
        else {
          const r = await this.call(plan, target, target.operation, vars, payload, ctx, ctx.ratePerSec);
          result = 'kind' in r ? r : failure('deliver', r, host) ?? { kind: 'ok', hash: null, status: r.status, target: host };
        }
      }
      if (result.status !== null) span.setAttribute(Attr.status, result.status);
      span.setAttribute(Attr.outcome, result.kind);
      return result;
    });
  }

  /**
   * A destination target: the mapped record becomes a change-log event on hub.destinations, where
   * the destination consumer batches, signs and delivers it (its own delivery log). Confirmed by the
   * broker = handed off = ok, so the fingerprint is stored only then; a broker refusal is retried.
   */
  private async handOff(event: HubEvent, plan: SyncPlan, ctx: RunContext, payload: unknown, target: string): Promise<PipelineResult> {
    const dest = plan.destination!;
    if (ctx.trace?.dryRun) return { kind: 'ok', hash: null, status: null, target };
    if (!this.toDestinations) return { kind: 'retryable', reason: 'deliver: this process does not publish to webhook destinations', status: null, target };
    const now = Date.now();
    const entityId = ctx.entityKey ?? event.eventId;
    try {
      await inSpan('deliver', { kind: SpanKind.PRODUCER, parent: parentOf(ctx), attributes: { [Attr.targetHost]: target } }, () => this.toDestinations!(create(DestinationEventSchema, {
        eventId: event.eventId, tenantId: plan.tenantId, destinationId: dest.destinationId, stream: dest.stream || 'change_log', resourceType: dest.resourceType,
        eventJson: Buffer.from(JSON.stringify(changeLogObject(dest.resourceType, entityId, payload, now))), receivedAtMs: BigInt(now),
      })));
    } catch (e) {
      if (e instanceof BrokerUnavailable || e instanceof MessageNotRouted) return { kind: 'retryable', reason: `deliver: hub.destinations did not take the event (${e.message})`, status: null, target };
      throw e;
    }
    return { kind: 'ok', hash: null, status: null, target };
  }

  /** Look up by the match field; update the match, or create when there is none (scenario 3). */
  private async splitUpsert(plan: SyncPlan, op: SplitUpsertOperation, payload: unknown, ctx: RunContext): Promise<PipelineResult> {
    const target = plan.target!;
    const host = hostOf(target.baseUrl);
    const matchField = target.params[op.matchParam];
    if (!matchField) return permanent(`deliver: parameter ${op.matchParam} is not set`, host);
    const path = fillTemplate(op.matchValuePath, target.params);
    const matchValue = readPath(payload, path);
    if (typeof matchValue !== 'string' && typeof matchValue !== 'number') return permanent(`deliver: the payload has no ${path} to match on`, host);
    const lookup = await this.call(plan, target, op.lookup, { matchField, matchValue: String(matchValue) }, undefined, ctx, ctx.ratePerSec);
    if ('kind' in lookup) return lookup;
    const lookupFailed = failure('lookup', lookup, host);
    if (lookupFailed) return lookupFailed;
    const lookupOp = this.registry.httpOperation(target.connector, op.lookup) as HttpOperation;
    const matches = readPath(lookup.json, lookupOp.results);
    const first = Array.isArray(matches) ? (matches[0] as Record<string, unknown> | undefined) : undefined;
    const [step, name, vars] = first ? ['update', op.update, { id: String(readPath(first, lookupOp.idField ?? 'id')) }] as const : ['create', op.create, {}] as const;
    const r = await this.call(plan, target, name, vars, payload, ctx, ctx.ratePerSec);
    if ('kind' in r) return r;
    return failure(step, r, host) ?? { kind: 'ok', hash: null, status: r.status, target: host };
  }

  /** One guarded call; `held` when the target's breaker or rate limit says not now. */
  private async call(plan: SyncPlan, endpoint: EndpointPlan, operation: string, vars: Record<string, string>, body: unknown, ctx: RunContext, ratePerSec: number): Promise<HttpResult | Failed> {
    const trace = ctx.trace;
    const proxy = await this.proxyOf(plan.tenantId);
    const send = () => this.client.call(endpoint, operation, vars, body, { timeoutMs: ctx.timeoutMs, proxy, dryRun: trace?.dryRun, capture: trace && ((req) => trace.capture(req)) });
    // A dry run leaves the target's breaker and rate limit alone: it must not change how live events are treated.
    const r = trace?.dryRun ? await send() : await this.guard.around(endpoint, plan.tenantId, ratePerSec, send, ctx.bulk);
    if (isHeld(r)) return { kind: 'held', untilMs: r.untilMs, reason: r.reason, status: null, target: hostOf(endpoint.baseUrl) };
    trace?.answered(r.status, r.text, r.error ?? null);
    return r;
  }
}

/** How a destination target is named in the delivery log and usage (it has no host). */
export function destinationLabel(plan: SyncPlan): string {
  return `destination:${plan.destination!.destinationId}`;
}

class EvalFailed {
  constructor(readonly reason: string, readonly message: string, readonly position: number | null) {}
}

const NOT_JSON = Symbol('not JSON');

function parseRecord(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

/** A filter's or mapping's value as a sandbox step reports it: the value, or the JSONata error with its position. */
function evalReport(v: unknown): { output: unknown; error?: StepError } {
  return v instanceof EvalFailed ? { output: null, error: { message: v.message, position: v.position } } : { output: v };
}

/** A failed or held result as a step error; null for ok and skipped. */
function resultError(r: PipelineResult): StepError | null {
  return r.kind === 'ok' || r.kind === 'skipped' ? null : { message: r.reason, position: null };
}

/** The failure a response means, or null when it succeeded (or was a dry run's write, never sent). */
function failure(step: string, r: HttpResult, target: string): Failed | null {
  if (r.notSent) return null;
  const v = classify(r);
  if (v.kind === 'ok') return null;
  return { ...v, reason: `${step}: ${v.reason}`, status: r.status, target, response: r.text.slice(0, 2000) };
}

/** Template variables an operation reads from the payload (a one-call upsert's match value), or why not. */
function payloadVars(op: HttpOperation, params: Record<string, string>, payload: unknown): Record<string, string> | string {
  const vars: Record<string, string> = {};
  for (const [name, template] of Object.entries(op.payloadVars ?? {})) {
    let path: string;
    try {
      path = fillTemplate(template, params);
    } catch (e) {
      return `deliver: ${(e as Error).message}`;
    }
    const value = readPath(payload, path);
    if (typeof value !== 'string' && typeof value !== 'number') return `deliver: the payload has no ${path} (needed for ${name})`;
    vars[name] = String(value);
  }
  return vars;
}
