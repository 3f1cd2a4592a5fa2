import pino from 'pino';
import { loadProcessEnv } from './env';
import { trace } from '@opentelemetry/api';

/** JSON logs carrying the active trace id; payloads and secrets are never logged. */
export const logger = pino({
  name: 'data-plane',
  level: loadProcessEnv().LOG_LEVEL,
  mixin() {
    const span = trace.getActiveSpan()?.spanContext();
    return span ? { traceId: span.traceId, spanId: span.spanId } : {};
  },
});
