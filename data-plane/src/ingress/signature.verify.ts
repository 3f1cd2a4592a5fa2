import { createHmac, timingSafeEqual } from 'node:crypto';

export type { SignatureSchemeName as SignatureScheme } from '@datahub/proto';
import type { SignatureSchemeName as SignatureScheme } from '@datahub/proto';

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
  switch (cfg.scheme) {
    case 'standard_webhooks':
      return verifyStandardWebhooks(cfg, headers, body, nowMs);
    case 'github':
      return verifyHexHmac(cfg, headers, body, 'x-hub-signature-256', 'sha256=');
    case 'hmac_sha256_hex':
      return verifyHexHmac(cfg, headers, body, cfg.header ?? 'x-signature', '');
    default: {
      const unknown: never = cfg.scheme;
      return { ok: false, code: 'signature_invalid', message: `Unknown signature scheme ${String(unknown)}` };
    }
  }
}

const missing = (name: string): SignatureVerdict => ({ ok: false, code: 'signature_missing', message: `This sync requires a signed request: the ${name} header is missing` });
const invalid: SignatureVerdict = { ok: false, code: 'signature_invalid', message: 'The signature does not match the body with any active secret' };

function verifyStandardWebhooks(cfg: SignatureConfig, headers: Headers, body: Buffer, nowMs: number): SignatureVerdict {
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

/** A hex HMAC-SHA256 of the body in `name`, after an optional prefix (GitHub's `sha256=`). */
function verifyHexHmac(cfg: SignatureConfig, headers: Headers, body: Buffer, name: string, prefix: string): SignatureVerdict {
  let value = header(headers, name);
  if (!value) return missing(name);
  if (!value.startsWith(prefix)) return invalid;
  value = value.slice(prefix.length);
  if (!/^[0-9a-fA-F]{64}$/.test(value)) return invalid;
  const presented = Buffer.from(value.toLowerCase(), 'hex');
  return cfg.secrets.some((secret) => same(hmac(secret, body), presented)) ? { ok: true } : invalid;
}
