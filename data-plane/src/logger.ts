import pino from 'pino';
import { loadProcessEnv } from './env';

/**
 * JSON logs; payloads and secrets are never logged. A line about one event carries its `eventId`
 * and, where the attempt's span is at hand, its `traceId` as fields: the data plane passes trace
 * contexts by hand (see connectors/src/telemetry/README.md), so there is no active span to read.
 */
export const logger = pino({
  name: 'data-plane',
  level: loadProcessEnv().LOG_LEVEL,
});
