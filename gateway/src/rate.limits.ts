import { parseToken } from '@datahub/connectors/dist/edge';
import type { IncomingHttpHeaders } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Rate limits at the edge, before anything reaches a service: per client address on every route,
 * and per inbound key on /hooks. The key's limit is counted under its lookup id (the public part
 * of `dhk_<lookup><secret><checksum>`), never the secret. Counters live in this process: with N
 * gateway replicas a client can get N times the limit (see the README).
 */
export interface EdgeLimits {
  /** Requests per second per client address (0: no limit) and the burst allowed above it. */
  perIpPerSec: number;
  perIpBurst: number;
  perKeyPerSec: number;
  perKeyBurst: number;
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSec: number; limit: 'ip' | 'key' };

/** `burst` requests per window of burst/rate seconds (a fixed window: the sustained rate is perSec). */
function bucket(perSec: number, burst: number): RateLimiterMemory | null {
  if (perSec <= 0) return null;
  const points = Math.max(1, burst);
  return new RateLimiterMemory({ points, duration: Math.max(1, Math.ceil(points / perSec)) });
}

/**
 * The lookup id of the inbound key a webhook presents (path, Api-Key header or bearer token, as the
 * ingress reads it), or null when there is none or it is malformed (then only the address limit counts).
 */
export function inboundKeyLookup(path: string, headers: IncomingHttpHeaders): string | null {
  const inPath = /^\/hooks\/([^/?]+)/.exec(path)?.[1];
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const apiKey = typeof headers['api-key'] === 'string' ? headers['api-key'].trim() : undefined;
  let key = inPath ?? apiKey ?? bearer;
  try {
    key = key && decodeURIComponent(key);
  } catch {
    return null;
  }
  return key ? parseToken(key, 'dhk')?.lookup ?? null : null;
}

export class EdgeRateLimits {
  private readonly ip: RateLimiterMemory | null;
  private readonly key: RateLimiterMemory | null;

  constructor(limits: EdgeLimits) {
    this.ip = bucket(limits.perIpPerSec, limits.perIpBurst);
    this.key = bucket(limits.perKeyPerSec, limits.perKeyBurst);
  }

  /** Whether webhooks are limited per inbound key (else the gateway need not read the key at all). */
  get perKey(): boolean {
    return this.key !== null;
  }

  /** Takes one request from the address's bucket and, for a webhook, the key's. */
  async take(address: string, keyLookup: string | null): Promise<LimitVerdict> {
    const ip = await consume(this.ip, address);
    if (ip !== null) return { ok: false, retryAfterSec: ip, limit: 'ip' };
    if (keyLookup) {
      const key = await consume(this.key, keyLookup);
      if (key !== null) return { ok: false, retryAfterSec: key, limit: 'key' };
    }
    return { ok: true };
  }
}

/** null when allowed, else the seconds until a point is free again. */
async function consume(limiter: RateLimiterMemory | null, id: string): Promise<number | null> {
  if (!limiter) return null;
  try {
    await limiter.consume(id);
    return null;
  } catch (rejected) {
    if (rejected instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
    throw rejected;
  }
}
