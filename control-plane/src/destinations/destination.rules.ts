import { checkOutboundUrl, RESERVED_WEBHOOK_HEADERS } from '@datahub/connectors';
import { InvalidInput } from '../common/errors';
import type { HeaderInput } from './destination.types';

/** The webhooks guide's defaults. */
export const DESTINATION_DEFAULTS = { timeoutMs: 10_000, batchMaxEvents: 50, batchMaxWaitMs: 10_000, signatureHeader: 'X-SportsStack-Signature' } as const;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const TYPE_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

export function checkUrl(raw: string, allowHosts: Set<string>, field: string): string {
  if (raw.length > 2048) throw new InvalidInput(field, 'url must be at most 2048 characters');
  const verdict = checkOutboundUrl(raw, allowHosts);
  if (!verdict.ok) throw new InvalidInput(field, `url ${verdict.reason}`);
  return verdict.url.toString();
}

export function checkHeaders(headers: HeaderInput[], field: string): Record<string, string> {
  if (headers.length > 20) throw new InvalidInput(field, 'at most 20 headers');
  const out: Record<string, string> = {};
  headers.forEach((h, i) => {
    const name = h.name.toLowerCase();
    if (!HEADER_NAME.test(h.name)) throw new InvalidInput(`${field}.${i}.name`, 'name must be an HTTP header name');
    if (RESERVED_WEBHOOK_HEADERS.has(name)) throw new InvalidInput(`${field}.${i}.name`, `${h.name} is set by the hub and cannot be configured`);
    if (/[\r\n\0]/.test(h.value) || h.value.length > 4096) throw new InvalidInput(`${field}.${i}.value`, 'value must be one line of at most 4096 characters');
    if (name in out) throw new InvalidInput(`${field}.${i}.name`, `${h.name} is given twice`);
    out[name] = h.value;
  });
  return out;
}

export function checkTypes(types: string[], field: string): string[] {
  if (types.length > 100) throw new InvalidInput(field, 'at most 100 types');
  types.forEach((t, i) => {
    if (!TYPE_NAME.test(t)) throw new InvalidInput(`${field}.${i}`, 'a type is lower case letters, digits, _ . - (e.g. team, contract.signed)');
  });
  return [...new Set(types)];
}

export function checkRange(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidInput(field, `${field.split('.').at(-1)} must be between ${min} and ${max}`);
  return value;
}

export function checkSignatureHeader(value: string, field: string): string {
  if (!HEADER_NAME.test(value) || RESERVED_WEBHOOK_HEADERS.has(value.toLowerCase())) throw new InvalidInput(field, 'signatureHeader must be an HTTP header name the hub does not set itself');
  return value;
}

export function checkName(value: string, field: string): string {
  const name = value.trim();
  if (!name || name.length > 200) throw new InvalidInput(field, 'name must be 1..200 characters');
  return name;
}

export { TYPE_NAME };
