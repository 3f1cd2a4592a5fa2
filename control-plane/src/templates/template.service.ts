import { SOURCE_OPERATION_KINDS, TARGET_OPERATION_KINDS, type OperationKind } from '@datahub/connectors';
import { IsNull } from 'typeorm';
import { InvalidInput, NotFound } from '../common/errors';
import { fromGlobalId } from '../common/global-id';
import type { TenantScope } from '../common/tenant.scope';
import { requireName } from '../common/validate';
import { SyncTemplateEntity, type SyncEntity } from '../db/base.entities';
import type { SyncService } from '../syncs/sync.service';
import { compileMapping, type SyncValidator } from '../syncs/sync.validate';
import { checkDeliveryPolicy } from '../syncs/delivery-policy.rules';
import type { CreateSyncFromTemplateInput, CreateSyncTemplateInput, TemplateDefinition, TemplateEndpointInput } from './template.types';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Replaces {{name}} in every string of a JSON value. */
export function fillPlaceholders<T>(value: T, params: Record<string, string>): T {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (_, name: string) => params[name] ?? `{{${name}}}`) as T;
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, params)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, params)])) as T;
  return value;
}

export class TemplateService {
  constructor(private readonly syncs: SyncService, private readonly validator: SyncValidator) {}

  /** `tenantId` null: a shared template (operators only). */
  async create(tenantId: string | null, scope: Pick<TenantScope, 'repo'>, input: CreateSyncTemplateInput): Promise<SyncTemplateEntity> {
    const name = requireName(input.name, 'input.name');
    const names = new Set<string>();
    for (const [i, p] of input.parameters.entries()) {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(p.name)) throw new InvalidInput(`input.parameters.${i}.name`, 'A parameter name is letters, digits and _');
      if (names.has(p.name)) throw new InvalidInput(`input.parameters.${i}.name`, `Parameter ${p.name} is declared twice`);
      names.add(p.name);
    }
    const used = new Set([...JSON.stringify(input).matchAll(PLACEHOLDER)].map((m) => m[1]!));
    for (const u of used) if (!names.has(u)) throw new InvalidInput('input.parameters', `{{${u}}} is used but not declared as a parameter`);
    const endpoint = (e: TemplateEndpointInput | undefined, at: string, kinds: readonly OperationKind[]) => {
      if (!e) return null;
      this.validator.operation(e.connector, e.operation, at, kinds);
      const params = Object.fromEntries(Object.entries(e.params ?? {}).map(([k, v]) => [k, String(v)]));
      return { connector: e.connector, operation: e.operation, baseUrl: e.baseUrl ?? null, params };
    };
    const dummy = Object.fromEntries([...names].map((n) => [n, 'x']));
    compileMapping(fillPlaceholders(input.mapping, dummy), 'input.mapping');
    if (input.filter) compileMapping(fillPlaceholders(input.filter, dummy), 'input.filter');
    if (input.trigger.kind === 'notify' && !input.source) throw new InvalidInput('input.source', 'A NOTIFY trigger needs a source');
    const definition: TemplateDefinition = {
      trigger: { kind: input.trigger.kind, idParam: input.trigger.idParam ?? 'id' },
      source: endpoint(input.source, 'input.source', SOURCE_OPERATION_KINDS),
      mapping: input.mapping,
      filter: input.filter ?? null,
      target: endpoint(input.target, 'input.target', TARGET_OPERATION_KINDS)!,
      delivery: checkDeliveryPolicy(input.delivery, 'input.delivery'),
    };
    const parameters = input.parameters.map((p) => ({ name: p.name, description: p.description, required: p.required, default: p.default ?? null }));
    return scope.repo(SyncTemplateEntity).save({ tenantId, name, description: input.description, parameters, definition, updatedAt: new Date() });
  }

  /** A tenant sees its own templates and the shared ones; another tenant's is NOT_FOUND. */
  async load(scope: TenantScope, globalId: string, field: string): Promise<SyncTemplateEntity> {
    const id = fromGlobalId('SyncTemplate', globalId, field);
    const row = await scope.repo(SyncTemplateEntity).findOne({ where: [{ id, tenantId: scope.tenantId }, { id, tenantId: IsNull() }] });
    if (!row) throw new NotFound('SyncTemplate');
    return row;
  }

  async instantiate(scope: TenantScope, input: CreateSyncFromTemplateInput): Promise<SyncEntity> {
    const template = await this.load(scope, input.templateId, 'input.templateId');
    const given = input.parameters ?? {};
    const values: Record<string, string> = {};
    for (const p of template.parameters) {
      const v = given[p.name] ?? p.default;
      if (v === undefined || v === null) {
        if (p.required) throw new InvalidInput(`input.parameters.${p.name}`, `Parameter "${p.name}" is required: ${p.description}`);
        values[p.name] = '';
      } else values[p.name] = String(v);
    }
    for (const k of Object.keys(given)) {
      if (!template.parameters.some((p) => p.name === k)) throw new InvalidInput(`input.parameters.${k}`, `The template has no parameter "${k}"`);
    }
    const d = fillPlaceholders(template.definition as TemplateDefinition, values);
    const endpoint = (e: TemplateDefinition['target'], credentialId: string | undefined, baseUrl: string | undefined, at: string) => {
      if (!credentialId) throw new InvalidInput(`input.${at}CredentialId`, `The template's ${at} needs a credential`);
      const url = baseUrl ?? e.baseUrl;
      if (!url) throw new InvalidInput(`input.${at}BaseUrl`, `The template leaves the ${at} base URL open; give ${at}BaseUrl`);
      return { connector: e.connector, operation: e.operation, params: e.params, credentialId, baseUrl: url };
    };
    return this.syncs.create(scope, {
      projectId: input.projectId, name: input.name, trigger: d.trigger as never, mapping: d.mapping, filter: d.filter ?? undefined,
      source: d.source ? endpoint(d.source, input.sourceCredentialId, input.sourceBaseUrl, 'source') : undefined,
      target: endpoint(d.target, input.targetCredentialId, input.targetBaseUrl, 'target'),
      delivery: d.delivery ?? undefined,
    });
  }
}
