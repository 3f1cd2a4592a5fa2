export { startIngress, startWorker, type Running } from './data-plane';
export { loadDataPlaneEnv, type DataPlaneEnv } from './env';
