import { createHmac } from 'node:crypto';

/** Standard Webhooks secrets are `whsec_` + base64 of the key bytes. */
export function standardWebhooksKeyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export interface WebhookSigning {
  /** Active secrets, oldest first (several during a rotation). */
  secrets: string[];
  /** The webhooks guide's header for the hex HMAC, e.g. X-SportsStack-Signature. */
  hmacHeader: string;
  /** webhook-id: the batch's idempotency id, the same on every attempt. */
  messageId: string;
  timestampSec: number;
  body: string;
}

/**
 * The signature headers of one outgoing webhook:
 * - the guide's `<hmacHeader>: <hex HMAC-SHA256 of the raw body>`, keyed by the secret's UTF-8 text.
 *   The header holds one digest, so it is made with the oldest active secret: a receiver that knows
 *   only the old secret keeps verifying during a rotation, and the new one takes over when the old expires;
 * - Standard Webhooks `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over
 *   `{id}.{timestamp}.{body}`, one signature per active secret (space-separated).
 */
export function signWebhook(s: WebhookSigning): Record<string, string> {
  const headers: Record<string, string> = {
    'webhook-id': s.messageId,
    'webhook-timestamp': String(s.timestampSec),
  };
  if (!s.secrets.length) return headers;
  headers[s.hmacHeader.toLowerCase()] = createHmac('sha256', s.secrets[0]!).update(s.body).digest('hex');
  const signed = `${s.messageId}.${s.timestampSec}.${s.body}`;
  headers['webhook-signature'] = s.secrets.map((secret) => `v1,${createHmac('sha256', standardWebhooksKeyOf(secret)).update(signed).digest('base64')}`).join(' ');
  return headers;
}
