/**
 * Load first (`node --require ./dist/otel.register.js dist/main.js …`) so tracing is on before
 * anything else runs. Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * …_TRACES_ENDPOINT) is set, e.g. Jaeger's http://127.0.0.1:4318; off with OTEL_SDK_DISABLED=true.
 */
import { loadProcessEnv } from './env';
import { startTracing } from './otel/otel.sdk';

const env = loadProcessEnv();
const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
if (env.OTEL_SDK_DISABLED !== 'true') {
  const sdk = startTracing(env.OTEL_SERVICE_NAME ?? `datahub-${process.argv[2] ?? 'data-plane'}`, { export: !!endpoint });
  const stop = () => void sdk.shutdown().catch(() => undefined);
  process.once('beforeExit', stop);
}
