export { startIngress, startWorker, type Running } from './data-plane';
export { loadDataPlaneEnv, type DataPlaneEnv } from './env';
export { startTracing } from './otel/otel.sdk';
