import type { DeliveryOutcomeName } from '@datahub/proto';
import { DeadLetterEntity, DeliveryAttemptEntity } from '../db/base.entities';
import type { ConnectionArgs } from '../common/relay';
import { paginate } from '../common/paginate';
import type { TenantScope } from '../common/tenant.scope';
import { DeadLetter, DeliveryAttempt } from './delivery.types';

/** Read side of what the worker records: attempts and dead letters, newest first. */
export class DeliveryService {
  attempts(scope: TenantScope, syncId: string, args: ConnectionArgs, outcome?: DeliveryOutcomeName) {
    const where = scope.where<DeliveryAttemptEntity>({ syncId, ...(outcome ? { outcome } : {}) });
    return paginate(scope.repo(DeliveryAttemptEntity), where, args, DeliveryAttempt.from, 'DESC');
  }

  deadLetters(scope: TenantScope, syncId: string, args: ConnectionArgs) {
    return paginate(scope.repo(DeadLetterEntity), scope.where<DeadLetterEntity>({ syncId }), args, DeadLetter.from, 'DESC');
  }
}
