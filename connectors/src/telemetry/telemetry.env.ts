import { z } from 'zod';

/**
 * The telemetry settings every process reads; each package's env.ts spreads this shape into its
 * own schema, so the environment is still parsed once, in one place per package.
 */
export const telemetryEnvShape = {
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  /** Base OTLP/HTTP URL (Jaeger: http://127.0.0.1:4318); /v1/traces is appended. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Full traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
};

const schema = z.object(telemetryEnvShape);
export type TelemetryEnv = z.infer<typeof schema>;

/** Where spans go, or null to record them without exporting. */
export function otlpTracesUrl(env: TelemetryEnv): string | null {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}
