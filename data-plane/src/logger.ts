import pino from 'pino';
import { trace } from '@opentelemetry/api';

/** JSON logs carrying the active trace id; payloads and secrets are never logged. */
export const logger = pino({
  name: 'data-plane',
  level: process.env.LOG_LEVEL ?? 'info',
  mixin() {
    const span = trace.getActiveSpan()?.spanContext();
    return span ? { traceId: span.traceId, spanId: span.spanId } : {};
  },
});
