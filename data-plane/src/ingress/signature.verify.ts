import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureScheme = 'hmac_sha256_hex' | 'standard_webhooks' | 'github';

export interface SignatureConfig {
  scheme: SignatureScheme;
  /** hmac_sha256_hex: the header carrying the hex digest (e.g. x-signature). */
  header: string | null;
  /** Secrets accepted now; more than one during a rotation. */
  secrets: string[];
  /** standard_webhooks: how far webhook-timestamp may be from now. */
  toleranceSec: number;
}

export type SignatureVerdict = { ok: true } | { ok: false; code: 'signature_missing' | 'signature_invalid' | 'timestamp_invalid'; message: string };

type Headers = Record<string, string | string[] | undefined>;

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Constant-time equality of two byte strings of possibly different length. */
function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const hmac = (key: Buffer | string, data: Buffer | string) => createHmac('sha256', key).update(data).digest();

/** Standard Webhooks secrets are `whsec_` + base64 key bytes. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/**
 * Checks an inbound webhook's signature over the raw body with every active secret.
 * - hmac_sha256_hex: hex HMAC-SHA256 of the body in a configurable header;
 * - github: `X-Hub-Signature-256: sha256=<hex>`;
 * - standard_webhooks: `webhook-signature: v1,<base64>` (space-separated list) over
 *   `${webhook-id}.${webhook-timestamp}.${body}`, with the timestamp within the tolerance.
 */
export function verifySignature(cfg: SignatureConfig, headers: Headers, body: Buffer, nowMs = Date.now()): SignatureVerdict {
  const missing = (name: string): SignatureVerdict => ({ ok: false, code: 'signature_missing', message: `This sync requires a signed request: the ${name} header is missing` });
  const invalid: SignatureVerdict = { ok: false, code: 'signature_invalid', message: 'The signature does not match the body with any active secret' };
  if (cfg.scheme === 'standard_webhooks') {
    const id = header(headers, 'webhook-id');
    const ts = header(headers, 'webhook-timestamp');
    const sigs = header(headers, 'webhook-signature');
    if (!id) return missing('webhook-id');
    if (!ts) return missing('webhook-timestamp');
    if (!sigs) return missing('webhook-signature');
    const sec = Number(ts);
    if (!/^\d+$/.test(ts) || Math.abs(nowMs / 1000 - sec) > cfg.toleranceSec) {
      return { ok: false, code: 'timestamp_invalid', message: `webhook-timestamp must be within ${cfg.toleranceSec} s of the hub's clock` };
    }
    const presented = sigs.split(' ').filter((s) => s.startsWith('v1,')).map((s) => Buffer.from(s.slice(3), 'base64'));
    const signed = Buffer.concat([Buffer.from(`${id}.${ts}.`), body]);
    const ok = cfg.secrets.some((secret) => {
      const expected = hmac(standardWebhooksKey(secret), signed);
      return presented.some((p) => same(p, expected));
    });
    return ok ? { ok: true } : invalid;
  }
  const name = cfg.scheme === 'github' ? 'x-hub-signature-256' : (cfg.header ?? 'x-signature');
  let value = header(headers, name);
  if (!value) return missing(name);
  if (cfg.scheme === 'github') {
    if (!value.startsWith('sha256=')) return invalid;
    value = value.slice(7);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(value)) return invalid;
  const presented = Buffer.from(value.toLowerCase(), 'hex');
  return cfg.secrets.some((secret) => same(hmac(secret, body), presented)) ? { ok: true } : invalid;
}
