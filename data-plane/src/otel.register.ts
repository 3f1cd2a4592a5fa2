/**
 * Load first (`node --require ./dist/otel.register.js dist/main.js …`) so tracing is on before
 * anything else runs. Off when OTEL_SDK_DISABLED=true or no OTLP endpoint is configured.
 */
import { startTracing } from './otel/otel.sdk';

const disabled = process.env.OTEL_SDK_DISABLED === 'true';
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
process.env.OTEL_METRICS_EXPORTER ??= 'none';
if (!disabled && endpoint) {
  const sdk = startTracing(process.env.OTEL_SERVICE_NAME ?? `datahub-${process.argv[2] ?? 'data-plane'}`);
  const stop = () => void sdk.shutdown().catch(() => undefined);
  process.once('beforeExit', stop);
}
