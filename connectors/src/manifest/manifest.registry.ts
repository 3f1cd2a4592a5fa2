import Ajv from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSplitUpsert, type ConnectorManifest, HttpOperation, Operation } from './manifest.types';

const MANIFEST_DIR = join(__dirname, '..', '..', 'manifests');
const SCHEMA_FILE = 'manifest.schema.json';

export class ManifestInvalid extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`connector manifest ${file} is invalid: ${problems.join('; ')}`);
  }
}

/** Checks the JSON Schema, then what a schema cannot say: upsert parts exist and are of the right kind. */
export function validateManifest(raw: unknown, file = '<inline>'): ConnectorManifest {
  const schema = JSON.parse(readFileSync(join(MANIFEST_DIR, SCHEMA_FILE), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(schema);
  if (!check(raw)) {
    throw new ManifestInvalid(file, (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  }
  const manifest = raw as ConnectorManifest;
  const problems: string[] = [];
  for (const [name, op] of Object.entries(manifest.operations)) {
    if (!isSplitUpsert(op)) {
      if (op.kind === 'list' && !op.pagination) problems.push(`list operation ${name} has no pagination`);
      if (op.pagination && op.kind !== 'list') problems.push(`operation ${name} has pagination but is not a list operation`);
      const rb = op.readBack;
      if (rb && manifest.operations[rb.lookup]?.kind !== 'search') problems.push(`operation ${name} reads back through ${rb.lookup}, which is not a search operation`);
      if (rb?.read && manifest.operations[rb.read]?.kind !== 'get') problems.push(`operation ${name} reads back through ${rb.read}, which is not a get operation`);
      continue;
    }
    const expect: [string, string[]][] = [[op.lookup, ['search']], [op.create, ['create']], [op.update, ['update']]];
    for (const [ref, kinds] of expect) {
      const target = manifest.operations[ref];
      if (!target || !kinds.includes(target.kind)) problems.push(`operation ${name} refers to ${ref}, which is not a ${kinds.join('/')} operation`);
    }
    if (!manifest.params?.[op.matchParam]) problems.push(`operation ${name} matches on param ${op.matchParam}, which is not declared`);
  }
  const ti = manifest.triggerInstall;
  for (const ref of ti ? [ti.operation, ti.deleteOperation] : []) {
    if (manifest.operations[ref]?.kind !== 'webhook') problems.push(`triggerInstall refers to ${ref}, which is not a webhook operation`);
  }
  if (problems.length) throw new ManifestInvalid(file, problems);
  return manifest;
}

/** The connector catalog: every manifest under connectors/manifests, validated once at load. */
export class ConnectorRegistry {
  private constructor(private readonly byId: Map<string, ConnectorManifest>) {}

  static load(dir = MANIFEST_DIR): ConnectorRegistry {
    const byId = new Map<string, ConnectorManifest>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE).sort()) {
      const manifest = validateManifest(JSON.parse(readFileSync(join(dir, file), 'utf8')), file);
      byId.set(manifest.id, manifest);
    }
    return new ConnectorRegistry(byId);
  }

  list(): ConnectorManifest[] {
    return [...this.byId.values()];
  }

  get(id: string): ConnectorManifest | undefined {
    return this.byId.get(id);
  }

  operation(connectorId: string, operation: string): Operation | undefined {
    return this.byId.get(connectorId)?.operations[operation];
  }

  httpOperation(connectorId: string, operation: string): HttpOperation {
    const op = this.operation(connectorId, operation);
    if (!op || isSplitUpsert(op)) throw new Error(`${connectorId}.${operation} is not an HTTP operation`);
    return op;
  }
}

let shared: ConnectorRegistry | undefined;
/** The registry of the bundled manifests, loaded once per process. */
export function connectorRegistry(): ConnectorRegistry {
  shared ??= ConnectorRegistry.load();
  return shared;
}
