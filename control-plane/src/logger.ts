import { trace } from '@opentelemetry/api';
import pino from 'pino';
import { logLevel } from './env';

/** JSON logs carrying the request's trace id; secrets never reach here (services log ids and codes, not payloads). */
export const logger = pino({
  name: 'control-plane',
  level: logLevel(),
  mixin() {
    const span = trace.getActiveSpan()?.spanContext();
    return span ? { traceId: span.traceId, spanId: span.spanId } : {};
  },
});
