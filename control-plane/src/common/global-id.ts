import { InvalidInput, NotFound } from './errors';

/** Relay global ids: base64url("Type:uuid"). */
export const NODE_TYPES = [
  'Tenant', 'Project', 'ApiToken', 'Credential', 'Sync', 'SyncVersion', 'InboundKey', 'DeliveryAttempt', 'DeadLetter',
  'SignatureSecret', 'AuditEntry', 'SyncTemplate', 'Target', 'SandboxRun', 'SyncTestCase', 'BulkRun', 'AccuracyAudit', 'Destination', 'DestinationSecret', 'DestinationDelivery', 'EventType',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

function isNodeType(type: string): type is NodeType {
  return (NODE_TYPES as readonly string[]).includes(type);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

export function parseGlobalId(globalId: string): { type: string; id: string } | null {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 1) return null;
  return { type: decoded.slice(0, i), id: decoded.slice(i + 1) };
}

/** Delivery attempts have bigint ids, targets the data plane's text key (host + credential); everything else a uuid. */
export function isRawId(type: string, id: string): boolean {
  if (type === 'DeliveryAttempt') return /^\d{1,18}$/.test(id);
  if (type === 'Target') return /^[^\u0000-\u001f]{1,512}$/.test(id);
  return UUID.test(id);
}

/**
 * The raw id behind a global id of the expected type. A well-formed id of another type is NOT_FOUND
 * (as an unknown one is); garbage is BAD_USER_INPUT on `field`.
 */
export function fromGlobalId(expected: NodeType, globalId: string, field: string): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed) throw new InvalidInput(field, `${field} is not a valid id`);
  if (parsed.type !== expected || !isRawId(expected, parsed.id)) throw new NotFound(expected);
  return parsed.id;
}

/**
 * A global id of any type (filters such as auditLog's targetId). Garbage, an unknown type or a raw
 * id no object could have (a NUL byte PostgreSQL would refuse) is BAD_USER_INPUT on `field`.
 */
export function fromAnyGlobalId(globalId: string, field: string): { type: NodeType; id: string } {
  const parsed = parseGlobalId(globalId);
  if (!parsed || !isNodeType(parsed.type) || !isRawId(parsed.type, parsed.id)) throw new InvalidInput(field, `${field} is not a valid id`);
  return { type: parsed.type, id: parsed.id };
}
