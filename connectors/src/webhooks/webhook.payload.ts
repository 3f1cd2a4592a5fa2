/** Streams of the webhooks guide's payload: change-log events, and the tenant's business events. */
export const WEBHOOK_STREAMS = ['change_log', 'business_event'] as const;
export type WebhookStream = (typeof WEBHOOK_STREAMS)[number];

export interface WebhookPayload {
  stream: string;
  resource_type: string;
  tenant_id: string;
  events: unknown[];
  batch_size: number;
}

/** The webhooks guide's batched payload, fields in its order. */
export function webhookPayload(stream: string, resourceType: string, tenantId: string, events: unknown[]): WebhookPayload {
  return { stream, resource_type: resourceType, tenant_id: tenantId, events, batch_size: events.length };
}

/** Header names a destination's own headers may not set: the hub's signature and framing headers. */
export const RESERVED_WEBHOOK_HEADERS = new Set([
  'content-type', 'content-length', 'host', 'transfer-encoding', 'connection', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'user-agent',
]);
