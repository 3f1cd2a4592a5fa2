import { defaultFieldResolver, GraphQLError, type GraphQLSchema } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { DomainError } from '../common/errors';
import { parseGlobalId } from '../common/global-id';
import { redact } from '../common/redact';
import { AuditEntryEntity } from '../db/base.entities';
import { logger } from '../logger';

/** The first global id found in a mutation's result: the object it created or changed. */
function targetOf(result: unknown): { type: string; id: string } | null {
  if (!result || typeof result !== 'object') return null;
  const id = (result as { id?: unknown }).id;
  if (typeof id === 'string') {
    const parsed = parseGlobalId(id);
    if (parsed) return parsed;
  }
  for (const v of Object.values(result)) {
    const found = v && typeof v === 'object' && !Array.isArray(v) ? targetOf(v) : null;
    if (found) return found;
  }
  return null;
}

/**
 * Every mutation, successful or refused, lands in audit_log: who (operator or tenant token), what
 * (operation, redacted input), the object, before/after as the service reported them, and when.
 */
export const AuditMiddleware: MiddlewareFn<RequestContext> = async ({ context, info, args }, next) => {
  let outcome = 'ok';
  let result: unknown;
  try {
    result = await next();
    return result;
  } catch (e) {
    const original = e instanceof GraphQLError ? (e.originalError ?? e) : e;
    outcome = original instanceof DomainError ? original.code : 'INTERNAL_SERVER_ERROR';
    throw e;
  } finally {
    const p = context.principal;
    const change = context.audit.change;
    const target = targetOf(result);
    const tenantId = change.tenantId ?? (p?.kind === 'tenant' ? p.tenantId : target?.type === 'Tenant' ? target.id : null);
    await context.ds.getRepository(AuditEntryEntity).insert({
      tenantId,
      actor: p?.kind ?? 'anonymous',
      tokenId: p?.kind === 'tenant' ? p.tokenId : null,
      operation: info.fieldName,
      outcome,
      targetType: change.targetType ?? target?.type ?? null,
      targetId: change.targetId ?? target?.id ?? null,
      input: redact(args) as object,
      before: change.before === undefined ? null : (redact(change.before) as object),
      after: (change.after === undefined ? (result === undefined ? null : redact(result)) : redact(change.after)) as object | null,
      requestId: context.requestId,
    }).catch((err) => logger.error({ err, operation: info.fieldName }, 'could not write the audit log'));
  }
};

/**
 * Puts AuditMiddleware around every mutation's resolver, and nothing else. (As a type-graphql global
 * middleware it wrapped every field of every object in an async call: a promise per scalar, about
 * 2,000 for one page of 50 syncs with their versions and credentials.)
 */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (root, args, context: RequestContext, info) =>
      AuditMiddleware({ root, args, context, info }, async () => resolve(root, args, context, info));
  }
  return schema;
}
