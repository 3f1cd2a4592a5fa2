// The sink's own signature checks, written from the specifications (not shared with the hub's
// signer, so a bug in one does not hide in the other).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SinkChannelConfig, SinkVerification } from './sink.types';

const first = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** Standard Webhooks: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, key = base64 after `whsec_`. */
export function verifyStandardWebhooks(secrets: string[], headers: IncomingHttpHeaders, rawBody: string): boolean {
  const id = first(headers, 'webhook-id');
  const ts = first(headers, 'webhook-timestamp');
  const sig = first(headers, 'webhook-signature');
  if (!id || !ts || !sig) return false;
  const presented = sig.split(' ').filter((s) => s.startsWith('v1,')).map((s) => Buffer.from(s.slice(3), 'base64'));
  return secrets.some((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${ts}.${rawBody}`).digest();
    return presented.some((p) => equal(p, expected));
  });
}

/** The webhooks guide: hex HMAC-SHA256 of the raw body in a named header. */
export function verifyHexHmac(header: string, secrets: string[], headers: IncomingHttpHeaders, rawBody: string): boolean {
  const value = first(headers, header);
  if (!value || !/^[0-9a-fA-F]{64}$/.test(value)) return false;
  const presented = Buffer.from(value, 'hex');
  return secrets.some((s) => equal(createHmac('sha256', s).update(rawBody).digest(), presented));
}

export function verifyDelivery(config: SinkChannelConfig | undefined, headers: IncomingHttpHeaders, rawBody: string): SinkVerification {
  const hmac = config?.hmacHeader && config.hmacSecrets?.length ? verifyHexHmac(config.hmacHeader, config.hmacSecrets, headers, rawBody) : null;
  const sw = config?.standardWebhooksSecrets?.length ? verifyStandardWebhooks(config.standardWebhooksSecrets, headers, rawBody) : null;
  return { hmac, standardWebhooks: sw };
}
