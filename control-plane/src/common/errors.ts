import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Stable codes a client can switch on; see docs/graphql.md. */
export type ErrorCode =
  | 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'UNAVAILABLE'
  /** installTrigger on an origin without a webhooks API: use Sync.triggerSetup; the origin refused a webhook call. */
  | 'TRIGGER_MANUAL' | 'UPSTREAM_REFUSED';

export class DomainError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

/** Invalid input; `field` is the input path, e.g. `input.target.operation`. */
export class InvalidInput extends DomainError {
  constructor(readonly field: string, message: string) {
    super('BAD_USER_INPUT', message, { field });
  }
}

export class NotFound extends DomainError {
  constructor(type: string) {
    super('NOT_FOUND', `${type} not found`);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'A valid API token is required (Authorization: Bearer <token>)') {
    super('UNAUTHENTICATED', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

/** A part of the hub the request needs is not answering (no worker for a sandbox run); retry later. */
export class Unavailable extends DomainError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

/** Turns a thrown domain error into a GraphQL error with its code; everything else becomes an opaque internal error. */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (e: unknown) => void): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof DomainError) {
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: original.code, ...original.details },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted; // parse/validation errors
  log(original);
  return { message: 'Internal error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
