/**
 * Names both planes use, each list kept once here: the control plane's GraphQL enums are derived
 * from them and the data plane writes and reads them.
 *
 * How one attempt of one event ended, as written to delivery_attempts.outcome by the worker and
 * shown by GraphQL. The one list both planes use (the control plane's enum is derived from it).
 */
export const DELIVERY_OUTCOMES = [
  /** The target accepted it. */
  'delivered',
  /** A transient failure; the event waits in a retry bucket. */
  'retrying',
  /** Given up: a permanent failure or attempts exhausted; kept in dead_letters for replay. */
  'dead_lettered',
  /** The sync's filter does not hold for the record: nothing sent. */
  'filtered',
  /** The mapped payload equals the one last delivered for this entity (change detection): nothing sent. */
  'unchanged',
  /** A pushed record older than the one already delivered for this entity: nothing sent. */
  'superseded',
] as const;

export type DeliveryOutcomeName = (typeof DELIVERY_OUTCOMES)[number];

/** Why a credential is marked failing (credentials.status = 'failing'). */
export const CREDENTIAL_STATUSES = ['active', 'failing'] as const;
export type CredentialStatusName = (typeof CREDENTIAL_STATUSES)[number];

/** How an origin signs its webhooks (ingress verifies; the control plane configures). */
export const SIGNATURE_SCHEMES = ['hmac_sha256_hex', 'standard_webhooks', 'github'] as const;
export type SignatureSchemeName = (typeof SIGNATURE_SCHEMES)[number];

/**
 * Usage counters, per (tenant, project, sync, target, hour): columns of usage_hourly, written by the
 * worker and summed by the control plane's `usage` query.
 * - received: events taken for the first time (attempt 1 of the original series; not replays);
 * - fetched: records read from the source (once per attempt of a notify event);
 * - filtered / unchanged: nothing sent; delivered: the target accepted it;
 * - retried: attempts that failed transiently and were scheduled again;
 * - dead_lettered: events given up on.
 */
export const USAGE_COUNTERS = ['received', 'fetched', 'filtered', 'unchanged', 'delivered', 'retried', 'dead_lettered'] as const;
export type UsageCounterName = (typeof USAGE_COUNTERS)[number];

/**
 * Upper bounds (ms) of the latency histogram buckets in usage_latency_hourly; a last bucket (-1)
 * takes everything above. Percentiles are interpolated inside a bucket.
 */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000] as const;

/** Which latency a histogram holds: receipt at ingress → delivered, or one call to the target. */
export const LATENCY_KINDS = ['receipt_to_delivery', 'target_call'] as const;
export type LatencyKindName = (typeof LATENCY_KINDS)[number];

/** How long the delivery log keeps an event when the tenant set nothing else (setTenantLogSettings). */
export const DEFAULT_LOG_RETENTION_DAYS = 30;
