import { telemetryEnvShape } from '@datahub/connectors';
import { z } from 'zod';

const schema = z.object({
  ...telemetryEnvShape,
  /** How the delivery log links a trace: {traceId} is replaced (default: a local Jaeger UI). */
  HUB_TRACE_URL_TEMPLATE: z.string().refine((t) => t.includes('{traceId}'), 'must contain {traceId}').default('http://127.0.0.1:16686/trace/{traceId}'),
  HUB_DATABASE_URL: z.string().url(),
  HUB_AMQP_URL: z.string().min(1),
  HUB_CONTROL_PLANE_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HUB_CONTROL_PLANE_HOST: z.string().default('127.0.0.1'),
  /** Operator token(s) for cross-tenant administration (createTenant), comma separated. */
  HUB_OPERATOR_TOKENS: z.string().default(''),
  /** `id:base64(32 bytes)` entries; the first is the active master key. */
  HUB_MASTER_KEYS: z.string().min(1),
  /** Where origins reach /hooks (the gateway); used to print inbound URLs. */
  HUB_PUBLIC_URL: z.string().url().default('http://127.0.0.1:8080'),
  /** Hosts an outbound URL may name although they are not public https (tests and the demo allow loopback). */
  HUB_OUTBOUND_ALLOW_HOSTS: z.string().default(''),
  /** The operator's HTTP CONNECT proxy for outbound calls (credential tests), as in the data plane. */
  HUB_EGRESS_PROXY_URL: z.string().optional(),
  HUB_GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).default('true'),
  /** Stack traces in GraphQL error responses; off unless asked for, whatever NODE_ENV says (they name files on the server). */
  HUB_GRAPHQL_DEBUG: z.enum(['true', 'false']).default('false'),
  /** Per tenant API token: sustained GraphQL requests per second, and the burst above it. */
  HUB_GRAPHQL_RATE_PER_SEC: z.coerce.number().positive().default(20),
  HUB_GRAPHQL_RATE_BURST: z.coerce.number().int().positive().default(60),
  /** How long runSandbox (and activation's test cases) wait for a worker's answer. */
  HUB_SANDBOX_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Sandbox runs kept per sync (the newest); older ones are deleted as new ones start. */
  HUB_SANDBOX_RUNS_KEPT: z.coerce.number().int().min(1).default(500),
});

export type ControlPlaneEnv = z.infer<typeof schema>;

export function loadControlPlaneEnv(source: NodeJS.ProcessEnv = process.env): ControlPlaneEnv {
  return schema.parse(source);
}

/** The log level, read where the logger is made (before the rest of the environment). */
export function logLevel(source: NodeJS.ProcessEnv = process.env): string {
  return z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').parse(source.LOG_LEVEL);
}

/** The migration job (`node control-plane/dist/migrate.js`) needs the database and nothing else. */
export function loadMigrationEnv(source: NodeJS.ProcessEnv = process.env): Pick<ControlPlaneEnv, 'HUB_DATABASE_URL'> {
  return schema.pick({ HUB_DATABASE_URL: true }).parse(source);
}
