import { connectorRegistry, fillTemplate, readPath, RequestRefused, type ConnectorClient, type ConnectorRegistry, type HttpOperation, type HttpResult, type UpsertOperation } from '@datahub/connectors';
import { TriggerKind, type EndpointPlan, type HubEvent, type SyncPlan } from '@datahub/proto';
import { SpanKind } from '@opentelemetry/api';
import jsonata from 'jsonata';
import { Attr, inSpan } from '../otel/tracing';
import { classify, type Verdict } from './delivery.classify';

/** The result of running one event through its plan. `status` is the HTTP status that decided it. */
export type PipelineResult = (Verdict | { kind: 'filtered'; reason: string }) & { status: number | null; response?: string };

const permanent = (reason: string, status: number | null = null): PipelineResult => ({ kind: 'permanent', reason, status });
const fromHttp = (step: string, r: HttpResult): PipelineResult => {
  const v = classify(r);
  return v.kind === 'ok' ? { ...v, status: r.status } : { ...v, reason: `${step}: ${v.reason}`, status: r.status, response: r.text.slice(0, 2000) };
};

/** fetch (notify) → transform (JSONata) → deliver (target operation, upsert through lookup/create/update). */
export class SyncPipeline {
  /** JSONata compiled once per (sync, version, expression), not per event. */
  private readonly compiled = new Map<string, jsonata.Expression>();

  constructor(private readonly client: ConnectorClient, private readonly registry: ConnectorRegistry = connectorRegistry()) {}

  async run(event: HubEvent, plan: SyncPlan): Promise<PipelineResult> {
    try {
      let record: unknown;
      if (event.trigger === TriggerKind.PUSH) {
        record = JSON.parse(Buffer.from(event.recordJson).toString('utf8'));
      } else {
        const fetched = await this.fetch(plan.source!, event.entityId);
        if ('kind' in fetched) return fetched;
        record = fetched.record;
      }
      const input = { record, event: { id: event.eventId, entityId: event.entityId, attempt: event.attempt } };
      if (plan.filter && !(await this.evaluate(plan, 'filter', input))) {
        return { kind: 'filtered', reason: 'the record does not match the sync filter', status: null };
      }
      const payload = await inSpan('transform', {}, () => this.evaluate(plan, 'mapping', input));
      if (payload === undefined || payload === null) return permanent('transform: the mapping produced no payload');
      return await this.deliver(plan.target!, payload);
    } catch (e) {
      if (e instanceof RequestRefused) return permanent(`refused: ${e.message}`);
      if (e instanceof MappingFailed) return permanent(e.message);
      throw e;
    }
  }

  private async fetch(source: EndpointPlan, entityId: string): Promise<{ record: unknown } | PipelineResult> {
    return inSpan('fetch', { kind: SpanKind.CLIENT, attributes: { [Attr.targetHost]: hostOf(source.baseUrl), 'hub.connector': source.connector } }, async (span) => {
      const r = await this.client.call(source, source.operation, { id: entityId });
      if (r.status !== null) span.setAttribute(Attr.status, r.status);
      if (r.status === 404) return permanent(`fetch: the source has no record ${entityId}`, 404);
      const verdict = fromHttp('fetch', r);
      if (verdict.kind !== 'ok') return verdict;
      const op = this.registry.httpOperation(source.connector, source.operation);
      return { record: readPath(r.json, op.record) };
    });
  }

  private async evaluate(plan: SyncPlan, which: 'mapping' | 'filter', input: unknown): Promise<unknown> {
    const key = `${plan.syncId}@${plan.version}:${which}`;
    let expr = this.compiled.get(key);
    if (!expr) {
      expr = jsonata(plan[which]);
      this.compiled.set(key, expr);
    }
    try {
      return await expr.evaluate(input);
    } catch (e) {
      throw new MappingFailed(`${which === 'mapping' ? 'transform' : 'filter'}: ${(e as Error).message}`);
    }
  }

  private async deliver(target: EndpointPlan, payload: unknown): Promise<PipelineResult> {
    return inSpan('deliver', { kind: SpanKind.CLIENT, attributes: { [Attr.targetHost]: hostOf(target.baseUrl), 'hub.connector': target.connector } }, async (span) => {
      const op = this.registry.operation(target.connector, target.operation)!;
      const result = op.kind === 'upsert' ? await this.upsert(target, op, payload) : fromHttp('deliver', await this.client.call(target, target.operation, {}, payload));
      if (result.status !== null) span.setAttribute(Attr.status, result.status);
      span.setAttribute(Attr.outcome, result.kind);
      return result;
    });
  }

  /** Look up by the match field; update the match, or create when there is none. */
  private async upsert(target: EndpointPlan, op: UpsertOperation, payload: unknown): Promise<PipelineResult> {
    const matchField = target.params[op.matchParam];
    if (!matchField) return permanent(`deliver: parameter ${op.matchParam} is not set`);
    const matchValue = readPath(payload, fillTemplate(op.matchValuePath, target.params));
    if (typeof matchValue !== 'string' && typeof matchValue !== 'number') {
      return permanent(`deliver: the payload has no ${fillTemplate(op.matchValuePath, target.params)} to match on`);
    }
    const lookup = await this.client.call(target, op.lookup, { matchField, matchValue: String(matchValue) });
    const found = fromHttp('lookup', lookup);
    if (found.kind !== 'ok') return found;
    const lookupOp = this.registry.httpOperation(target.connector, op.lookup) as HttpOperation;
    const matches = readPath(lookup.json, lookupOp.results);
    const first = Array.isArray(matches) ? (matches[0] as Record<string, unknown> | undefined) : undefined;
    if (first) {
      const id = String(readPath(first, lookupOp.idField ?? 'id'));
      return fromHttp('update', await this.client.call(target, op.update, { id }, payload));
    }
    return fromHttp('create', await this.client.call(target, op.create, {}, payload));
  }
}

class MappingFailed extends Error {}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
