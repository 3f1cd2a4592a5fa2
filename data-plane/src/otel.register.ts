/**
 * Kept for launchers that load it first (`node --require ./dist/otel.register.js dist/main.js …`);
 * main.ts starts the same tracer provider itself (the first start wins). See
 * connectors/src/telemetry/README.md.
 */
import { startProcessTracing } from '@datahub/connectors';
import { loadProcessEnv } from './env';

startProcessTracing(`datahub-${process.argv[2] ?? 'data-plane'}`, loadProcessEnv());
