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
  target: EndpointDefinition;
  /** Absent in definitions stored before delivery policies existed; null: all defaults. */
  delivery?: DeliveryPolicyDefinition | null;
}
