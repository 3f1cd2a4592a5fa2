import type { IncomingMessage } from 'node:http';
import { parseToken, readBodyUpTo, tokenMatches } from '@datahub/connectors';
import type { ConfigStore, InboundKeyRecord } from '../store/config.store';

/** A refusal the ingress answers with: status, stable code, and a message a person can act on. */
export class HookRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

/** The inbound key, from the path (/hooks/{key}), an Api-Key header or a bearer token, in that order. */
export function presentedKey(req: IncomingMessage, pathKey: string | undefined): string | undefined {
  if (pathKey) return decodeURIComponent(pathKey);
  const apiKey = req.headers['api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey.trim();
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Reads the body up to `maxBytes`; over it → 413 (the caller answers and drains the rest). */
export async function readLimitedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const body = await readBodyUpTo(req, maxBytes);
  if (body === null) throw tooLarge(maxBytes);
  return body;
}

const tooLarge = (max: number) => new HookRefusal(413, 'payload_too_large', `The body is over the limit of ${max} bytes`);

export type ParsedBody = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'form'; value: Record<string, string> };

/** JSON or form bodies only; anything else is 415, malformed JSON is 400. */
export function parseBody(body: Buffer, contentType: string | undefined): ParsedBody {
  if (body.length === 0) return { kind: 'none' };
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return { kind: 'json', value: JSON.parse(body.toString('utf8')) };
    } catch (e) {
      throw new HookRefusal(400, 'malformed_json', `The body is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { kind: 'form', value: Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  throw new HookRefusal(415, 'unsupported_media_type', `Content-Type "${type || 'none'}" is not accepted; send application/json or application/x-www-form-urlencoded`);
}

/** Notify: the record id from the query string, then the JSON or form body, under `idParam`. */
export function notifiedId(query: URLSearchParams, body: ParsedBody, idParam: string): string {
  let id: unknown = query.get(idParam) ?? undefined;
  if (id === undefined && body.kind === 'json' && body.value && typeof body.value === 'object' && !Array.isArray(body.value)) {
    id = (body.value as Record<string, unknown>)[idParam];
  }
  if (id === undefined && body.kind === 'form') id = body.value[idParam];
  if (typeof id === 'number') id = String(id);
  if (typeof id !== 'string' || !id.trim()) {
    throw new HookRefusal(400, 'missing_id', `This sync is notified with a record id: pass ?${idParam}=<id> or a JSON body {"${idParam}": "<id>"}`);
  }
  if (id.length > 512) throw new HookRefusal(400, 'invalid_id', `The ${idParam} is longer than 512 characters`);
  return id.trim();
}

/**
 * Push: the record is the JSON object in the body, or its form fields as named (how marketing
 * platforms such as ActiveCampaign post engagement webhooks: `type=open&contact[email]=…`).
 */
export function pushedRecord(body: ParsedBody): Buffer {
  if (body.kind === 'form' && Object.keys(body.value).length > 0) return Buffer.from(JSON.stringify(body.value));
  if (body.kind !== 'json' || !body.value || typeof body.value !== 'object' || Array.isArray(body.value)) {
    throw new HookRefusal(400, 'missing_record', 'This sync is pushed the record: POST it as a JSON object (Content-Type: application/json) or as form fields');
  }
  return Buffer.from(JSON.stringify(body.value));
}

/** The inbound key presented (path, Api-Key header or bearer), checked against its stored hash; 401 otherwise. */
export async function authenticateKey(req: IncomingMessage, pathKey: string | undefined, store: ConfigStore): Promise<InboundKeyRecord> {
  const key = presentedKey(req, pathKey);
  const parsedKey = key ? parseToken(key, 'dhk') : null;
  if (!key || !parsedKey) throw new HookRefusal(401, 'invalid_key', 'Pass a valid inbound key in the path (/hooks/{key}), an Api-Key header or a bearer token');
  const record = await store.inboundKey(parsedKey.lookup);
  if (!record || !tokenMatches(key, record.hash)) throw new HookRefusal(401, 'invalid_key', 'The inbound key is unknown or was revoked');
  if (record.expiresAtMs !== null && record.expiresAtMs <= Date.now()) throw new HookRefusal(401, 'invalid_key', 'The inbound key was rotated and has expired; use the new key');
  return record;
}
