import { telemetryEnvShape } from '@datahub/connectors/dist/edge';
import { join } from 'node:path';
import { z } from 'zod';

const urlList = z.string().transform((s, ctx) => {
  const urls = s.split(',').map((u) => u.trim()).filter(Boolean);
  if (!urls.length || urls.some((u) => !URL.canParse(u))) ctx.addIssue({ code: 'custom', message: 'must be one or more URLs, comma separated' });
  return urls;
});

const schema = z.object({
  ...telemetryEnvShape,
  HUB_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HUB_GATEWAY_HOST: z.string().default('127.0.0.1'),
  /** Where /graphql goes: one or more control-plane instances, comma separated (round robin, failover). */
  HUB_CONTROL_PLANE_URL: urlList,
  /** Where /hooks goes: one or more ingress instances, comma separated (round robin, failover). */
  HUB_INGRESS_URL: urlList,
  HUB_GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** A body over the limit is answered 413 at once, then up to this much of it is read and dropped (so the client reads the 413 instead of a reset); past it, the connection is closed. */
  HUB_GATEWAY_DISCARD_MAX_BYTES: z.coerce.number().int().min(0).default(16 * 1024 * 1024),
  /** Addresses and CIDR ranges of the proxies in front of the gateway whose X-Forwarded-For is believed (empty: none). */
  HUB_GATEWAY_TRUSTED_PROXIES: z.string().default(''),
  /** An upstream that has not answered within this gets the client a 504 instead of a hung request. */
  HUB_GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** How often each upstream instance's readiness is probed (/readyz of ingress, /healthz of the control plane). */
  HUB_GATEWAY_PROBE_INTERVAL_MS: z.coerce.number().int().positive().default(500),
  /** Per client address, every route: sustained requests per second (0: off) and burst. */
  HUB_GATEWAY_RATE_PER_IP_PER_SEC: z.coerce.number().min(0).default(1000),
  HUB_GATEWAY_RATE_PER_IP_BURST: z.coerce.number().int().min(1).default(2000),
  /** Per inbound key (counted by its lookup id), /hooks: sustained requests per second (0: off) and burst. */
  HUB_GATEWAY_RATE_PER_KEY_PER_SEC: z.coerce.number().min(0).default(500),
  HUB_GATEWAY_RATE_PER_KEY_BURST: z.coerce.number().int().min(1).default(1000),
  /** TLS termination: PEM certificate (chain) and key files; both or neither. TLS 1.2 is the minimum. */
  HUB_GATEWAY_TLS_CERT_FILE: z.string().optional(),
  HUB_GATEWAY_TLS_KEY_FILE: z.string().optional(),
  /** Client addresses (after X-Forwarded-For from trusted proxies) that may read /metrics; others get 404, so the public port does not publish it. */
  HUB_GATEWAY_METRICS_FROM: z.string().default('127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7'),
  /** On SIGTERM: how long /readyz says 503 (and answers carry Connection: close) before the port closes. */
  HUB_GATEWAY_DRAIN_GRACE_MS: z.coerce.number().int().min(0).default(3_000),
  /** Then how long in-flight requests may take to finish before their connections are cut. */
  HUB_GATEWAY_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  /** The web console's build served at /admin (default: this checkout's console/dist). */
  HUB_CONSOLE_DIR: z.string().default(join(__dirname, '..', '..', 'console', 'dist')),
});

export type GatewayEnv = z.infer<typeof schema>;

export function loadGatewayEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const env = schema.parse(source);
  if (Boolean(env.HUB_GATEWAY_TLS_CERT_FILE) !== Boolean(env.HUB_GATEWAY_TLS_KEY_FILE)) {
    throw new Error('HUB_GATEWAY_TLS_CERT_FILE and HUB_GATEWAY_TLS_KEY_FILE must be set together');
  }
  return env;
}
