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
