import { Args, Ctx, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../common/context';
import { fromAnyGlobalId } from '../common/global-id';
import { paginate } from '../common/paginate';
import { Connection } from '../common/relay';
import { AuditEntryEntity } from '../db/base.entities';
import { AuditEntry, AuditLogArgs } from './audit.types';

@ObjectType() class AuditEntryConnection extends Connection(AuditEntry) {}

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: "The tenant's audit log, newest first" })
  async auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: RequestContext) {
    const scope = ctx.tenant('read');
    const target = args.targetId === undefined || args.targetId === null ? null : fromAnyGlobalId(args.targetId, 'targetId');
    const where = scope.where<AuditEntryEntity>({
      ...(args.operation ? { operation: args.operation } : {}),
      ...(target ? { targetType: target.type, targetId: target.id } : {}),
    });
    return paginate(scope.repo(AuditEntryEntity), where, args, AuditEntry.from, 'DESC');
  }
}
