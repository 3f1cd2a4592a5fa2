import type { DeliveryOutcomeName } from '@datahub/proto';
import { DeadLetterEntity, DeliveryAttemptEntity } from '../db/base.entities';
import type { ConnectionArgs } from '../common/relay';
import { paginate } from '../common/paginate';
import type { TenantScope } from '../common/tenant.scope';
import { DeadLetter, DeliveryAttempt } from './delivery.types';

/** Read side of what the worker records: attempts and dead letters, newest first. */
const ZERO_TRACE = /^0+$/;

export class DeliveryService {
  /** `template` holds `{traceId}`, e.g. http://127.0.0.1:16686/trace/{traceId} (Jaeger). */
  constructor(private readonly traceUrlTemplate = 'http://127.0.0.1:16686/trace/{traceId}') {}

  /** The trace's link, or null when there is no real trace id (rows written before tracing was always on). */
  traceUrl(traceId: string | null): string | null {
    if (!traceId || !/^[0-9a-f]{32}$/.test(traceId) || ZERO_TRACE.test(traceId)) return null;
    return this.traceUrlTemplate.replaceAll('{traceId}', traceId);
  }

  attempts(scope: TenantScope, syncId: string, args: ConnectionArgs, outcome?: DeliveryOutcomeName) {
    const where = scope.where<DeliveryAttemptEntity>({ syncId, ...(outcome ? { outcome } : {}) });
    return paginate(scope.repo(DeliveryAttemptEntity), where, args, DeliveryAttempt.from, 'DESC');
  }

  deadLetters(scope: TenantScope, syncId: string, args: ConnectionArgs) {
    return paginate(scope.repo(DeadLetterEntity), scope.where<DeadLetterEntity>({ syncId }), args, DeadLetter.from, 'DESC');
  }
}
