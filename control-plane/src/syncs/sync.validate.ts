import { checkOutboundUrl, SOURCE_OPERATION_KINDS, TARGET_OPERATION_KINDS, type ConnectorManifest, type ConnectorRegistry, type OperationKind } from '@datahub/connectors';
import jsonata from 'jsonata';
import { CredentialEntity } from '../db/base.entities';
import { InvalidInput } from '../common/errors';
import type { TenantScope } from '../common/tenant.scope';
import { fromGlobalId } from '../common/global-id';
import { requireText } from '../common/validate';
import { checkDeliveryPolicy } from './delivery-policy.rules';
import { DestinationEntity } from '../destinations/destination.entity';
import type { DestinationTargetDefinition, EndpointDefinition, SyncDefinition } from './sync.definition';
import type { EndpointInput, SyncDefinitionInput, SyncDestinationInput } from './sync.types';

const MAX_MAPPING_CHARS = 20_000;

/** Everything a definition must satisfy before it is stored; each failure names its input field. */
export class SyncValidator {
  constructor(private readonly registry: ConnectorRegistry, private readonly allowHosts: Set<string>) {}

  /** `input` has its defaults applied already (see withDefaults): trigger and target are present. */
  async definition(scope: TenantScope, input: SyncDefinitionInput, at = 'input'): Promise<SyncDefinition> {
    if (!input.trigger) throw new InvalidInput(`${at}.trigger`, 'trigger is required');
    if (!input.target && !input.destination) throw new InvalidInput(`${at}.target`, 'target (a connector operation) or destination (a webhook destination) is required');
    if (input.target && input.destination) throw new InvalidInput(`${at}.destination`, 'Give either target or destination, not both');
    const kind = input.trigger.kind;
    const idParam = input.trigger.idParam ?? 'id';
    if (!/^[A-Za-z0-9_.[\]-]{1,64}$/.test(idParam)) throw new InvalidInput(`${at}.trigger.idParam`, "idParam must be a parameter name (letters, digits, _ . - and form brackets such as contact[id])");
    let source: EndpointDefinition | null = null;
    if (kind === 'notify') {
      if (!input.source) throw new InvalidInput(`${at}.source`, 'A NOTIFY trigger needs a source to fetch the record from');
      source = await this.endpoint(scope, input.source, `${at}.source`, SOURCE_OPERATION_KINDS);
    } else if (input.source) {
      throw new InvalidInput(`${at}.source`, 'A PUSH trigger carries the record; leave source empty');
    }
    const mapping = compileMapping(input.mapping, `${at}.mapping`);
    const filter = input.filter ? compileMapping(input.filter, `${at}.filter`) : null;
    const target = input.target ? await this.endpoint(scope, input.target, `${at}.target`, TARGET_OPERATION_KINDS) : null;
    const destination = input.destination ? await destinationTarget(scope, input.destination, `${at}.destination`) : null;
    const delivery = checkDeliveryPolicy(input.delivery, `${at}.delivery`);
    return { trigger: { kind, idParam }, source, mapping, filter, target, ...(destination ? { destination } : {}), delivery };
  }

  /** The connector's manifest, checking that `operation` exists there and is of one of `kinds`. */
  operation(connector: string, operation: string, at: string, kinds: readonly OperationKind[]): ConnectorManifest {
    const manifest = this.registry.get(connector);
    if (!manifest) {
      throw new InvalidInput(`${at}.connector`, `Unknown connector "${connector}"; known: ${this.registry.list().map((m) => m.id).join(', ')}`);
    }
    const op = manifest.operations[operation];
    if (!op || !kinds.includes(op.kind)) {
      const fits = Object.entries(manifest.operations).filter(([, o]) => kinds.includes(o.kind)).map(([n]) => n);
      throw new InvalidInput(`${at}.operation`, `"${operation}" is not a ${kinds.join('/')} operation of ${manifest.id}; use one of: ${fits.join(', ')}`);
    }
    return manifest;
  }

  /** The name of the connector's test operation (a cheap authenticated call). */
  testOperation(connector: string, at: string): string {
    const manifest = this.registry.get(connector);
    if (!manifest) throw new InvalidInput(`${at}.connector`, `Unknown connector "${connector}"`);
    const name = Object.entries(manifest.operations).find(([, op]) => op.kind === 'test')?.[0];
    if (!name) throw new InvalidInput(`${at}.connector`, `${manifest.name} has no test operation`);
    return name;
  }

  /** A credential of a kind the connector does not take is refused at `field`. */
  authFits(manifest: ConnectorManifest, credentialKind: string, field: string): void {
    if (!manifest.auth.includes(credentialKind as never)) {
      throw new InvalidInput(field, `${manifest.name} takes ${manifest.auth.join(' or ')} credentials, not ${credentialKind}`);
    }
  }

  async endpoint(scope: TenantScope, e: EndpointInput, at: string, kinds: readonly OperationKind[]): Promise<EndpointDefinition> {
    const manifest = this.operation(e.connector, e.operation, at, kinds);
    const credentialId = fromGlobalId('Credential', e.credentialId, `${at}.credentialId`);
    const credential = await scope.loadRaw(CredentialEntity, 'Credential', credentialId);
    this.authFits(manifest, credential.kind, `${at}.credentialId`);
    const verdict = checkOutboundUrl(requireText(e.baseUrl, `${at}.baseUrl`, 2048), this.allowHosts);
    if (!verdict.ok) throw new InvalidInput(`${at}.baseUrl`, `baseUrl ${verdict.reason}`);
    const params = resolveParams(manifest.params ?? {}, e.params ?? {}, `${at}.params`);
    return { connector: manifest.id, operation: e.operation, credentialId, baseUrl: e.baseUrl.replace(/\/+$/, ''), params };
  }
}

const RESOURCE_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** A webhook destination of the tenant as a sync's target (another tenant's reads as not found). */
async function destinationTarget(scope: TenantScope, d: SyncDestinationInput, at: string): Promise<DestinationTargetDefinition> {
  const destinationId = fromGlobalId('Destination', d.destinationId, `${at}.destinationId`);
  await scope.loadRaw(DestinationEntity, 'Destination', destinationId);
  if (!RESOURCE_TYPE.test(d.resourceType ?? '')) throw new InvalidInput(`${at}.resourceType`, 'resourceType must be a lower-case name such as "profile" (letters, digits, _ . -; up to 64)');
  const stream = d.stream ?? 'change_log';
  if (!RESOURCE_TYPE.test(stream)) throw new InvalidInput(`${at}.stream`, 'stream must be a lower-case name such as "change_log" (letters, digits, _ . -; up to 64)');
  return { destinationId, resourceType: d.resourceType, stream };
}

/** A connector operation's parameters: known names only, string values, defaults filled, required present. */
export function resolveParams(spec: Record<string, { required?: boolean; default?: string }>, given: Record<string, unknown>, at: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!spec[name]) throw new InvalidInput(`${at}.${name}`, `Unknown parameter "${name}"; known: ${Object.keys(spec).join(', ') || 'none'}`);
    if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidInput(`${at}.${name}`, `${name} must be a string`);
    out[name] = String(value);
  }
  for (const [name, p] of Object.entries(spec)) {
    if (out[name] === undefined && p.default !== undefined) out[name] = p.default;
    if (out[name] === undefined && p.required) throw new InvalidInput(`${at}.${name}`, `Parameter "${name}" is required`);
  }
  return out;
}

/** A JSONata error as a person reads it: message and position. */
export function describeJsonataError(e: unknown): { message: string; position: number | null; token: string | null } {
  const err = e as { message?: string; position?: number; token?: string };
  return { message: err.message ?? 'syntax error', position: err.position ?? null, token: err.token ?? null };
}

/** Compiles a JSONata expression, or BAD_USER_INPUT with the error and its position. */
export function compileMapping(expression: string, field: string): string {
  const text = requireText(expression, field, MAX_MAPPING_CHARS);
  try {
    jsonata(text);
  } catch (e) {
    const err = describeJsonataError(e);
    const where = err.position !== null ? ` at position ${err.position}` : '';
    const what = field.endsWith('filter') ? 'filter' : 'mapping';
    throw new InvalidInput(field, `${what} does not compile${where}: ${err.message}`);
  }
  return text;
}
