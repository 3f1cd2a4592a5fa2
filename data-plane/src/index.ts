export { startIngress, startScheduler, startWorker, type Running } from './data-plane';
export { loadDataPlaneEnv, type DataPlaneEnv } from './env';
export { Database } from './store/db.pool';
export { LogRetention } from './worker/log.retention';
