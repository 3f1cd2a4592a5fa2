export const AUTH_KINDS = ['api_key', 'bearer', 'basic', 'oauth1', 'oauth2_client_credentials', 'oauth2_authorization_code', 'jwt'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export type OperationKind = 'get' | 'search' | 'list' | 'create' | 'update' | 'upsert' | 'test' | 'webhook';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpOperation {
  /** `upsert` here is a platform's own one-call upsert (e.g. Copernica's PUT with create=1). */
  kind: OperationKind;
  description: string;
  method: HttpMethod;
  /** Path below the base URL; `{name}` placeholders come from params, `id`, `matchField`, `matchValue`. */
  path: string;
  query?: Record<string, string>;
  record?: string;
  results?: string;
  idField?: string;
  createdId?: { header?: string; bodyPath?: string };
  /** Template variables read from the payload being sent: name → dot path (`{param}` placeholders allowed). */
  payloadVars?: Record<string, string>;
  /** list: how pages are walked. */
  pagination?: Pagination;
  /** list: the source can return only records modified since a time (incremental bulk runs). */
  watermark?: { param: string; docs?: string };
  /** Target operations: how the accuracy audit reads back what was delivered. */
  readBack?: ReadBack;
}

export type PaginationStyle = 'cursor' | 'page' | 'offset';

export interface Pagination {
  style: PaginationStyle;
  sizeParam: string;
  maxPageSize?: number;
  defaultPageSize?: number;
  cursorParam?: string;
  firstCursor?: string;
  nextCursorPath?: string;
  pageParam?: string;
  firstPage?: number;
  offsetParam?: string;
  totalPath?: string;
}

export interface ReadBack {
  lookup: string;
  matchValuePath: string;
  read?: string;
  shape?: string;
}

/** An upsert through separate lookup, create and update calls (scenario 3's Copernica split). */
export interface SplitUpsertOperation {
  kind: 'upsert';
  description: string;
  lookup: string;
  create: string;
  update: string;
  matchParam: string;
  matchValuePath: string;
}

export type Operation = HttpOperation | SplitUpsertOperation;

export function isSplitUpsert(op: Operation): op is SplitUpsertOperation {
  return 'lookup' in op;
}

export interface ParamSpec {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ConnectorManifest {
  id: string;
  name: string;
  version: number;
  docs?: string;
  baseUrlTemplate: string;
  auth: AuthKind[];
  authDefaults?: {
    api_key?: { in: 'header' | 'query'; name: string };
    oauth2_client_credentials?: { tokenPath: string };
  };
  params?: Record<string, ParamSpec>;
  /** The platform's published request limit per credential (account); the hub stays under it. */
  rateLimit?: { perSecond: number; docs?: string };
  operations: Record<string, Operation>;
  fields?: { name: string; type: string; description?: string }[];
  /** How the platform is set up to call the hub (manual: no webhooks API; the hub shows what to paste). */
  triggerSetup?: { kind: 'manual'; placeholder: string; instructions: string; watchedFieldPattern?: string; docs?: string };
  /** The platform has a webhooks API: installTrigger registers the hub's URL itself (`{{url}}`/`{{name}}` in body). */
  triggerInstall?: { operation: string; body: unknown; idPath: string; deleteOperation: string; idParam: string; docs?: string };
}

/** What a sync may use an operation for. */
export const SOURCE_OPERATION_KINDS: readonly OperationKind[] = ['get'];
export const TARGET_OPERATION_KINDS: readonly OperationKind[] = ['upsert', 'create', 'update'];
