import { telemetryEnvShape } from '@datahub/connectors';
import { z } from 'zod';

const schema = z.object({
  ...telemetryEnvShape,
  HUB_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HUB_GATEWAY_HOST: z.string().default('127.0.0.1'),
  /** Where /graphql goes, e.g. http://127.0.0.1:4000 */
  HUB_CONTROL_PLANE_URL: z.string().url(),
  /** Where /hooks goes, e.g. http://127.0.0.1:8081 */
  HUB_INGRESS_URL: z.string().url(),
  HUB_GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** A body over the limit is answered 413 at once, then up to this much of it is read and dropped (so the client reads the 413 instead of a reset); past it, the connection is closed. */
  HUB_GATEWAY_DISCARD_MAX_BYTES: z.coerce.number().int().min(0).default(16 * 1024 * 1024),
  /** How many proxies in front of the gateway may set X-Forwarded-For (0: trust none). */
  HUB_GATEWAY_TRUSTED_HOPS: z.coerce.number().int().min(0).default(0),
  /** An upstream that has not answered within this gets the client a 504 instead of a hung request. */
  HUB_GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

export type GatewayEnv = z.infer<typeof schema>;

export function loadGatewayEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  return schema.parse(source);
}
