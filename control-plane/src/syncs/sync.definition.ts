/** A sync version's definition as stored in sync_versions.definition (ids are raw uuids). */
export interface EndpointDefinition {
  connector: string;
  operation: string;
  credentialId: string;
  baseUrl: string;
  params: Record<string, string>;
}

/** How a sync's deliveries are retried, timed out and paced; a null field takes the default. */
export interface DeliveryPolicyDefinition {
  retryScheduleSec: number[] | null;
  timeoutMs: number | null;
  rateLimitPerSec: number | null;
}

export interface SyncDefinition {
  trigger: { kind: 'notify' | 'push'; idParam: string };
  /** Where a notify trigger fetches the record; absent for push. */
  source: EndpointDefinition | null;
  /** JSONata; input `{record, event}`, output the target payload. */
  mapping: string;
  /** JSONata condition; records it does not hold for are skipped (outcome "filtered"). */
  filter: string | null;
  /** The connector operation records are delivered to; null when `destination` is the target. */
  target: EndpointDefinition | null;
  /** Set: the target is a webhook destination (records go out batched and signed, as change-log events). */
  destination?: DestinationTargetDefinition | null;
  /** Absent in definitions stored before delivery policies existed; null: all defaults. */
  delivery?: DeliveryPolicyDefinition | null;
}

/** A webhook destination as a sync's target (destinations/README.md in data-plane). */
export interface DestinationTargetDefinition {
  destinationId: string;
  /** The events' resource_type, e.g. "profile". */
  resourceType: string;
  /** The batch's stream; "change_log" unless given. */
  stream: string;
}
