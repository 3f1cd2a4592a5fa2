export { startControlPlane, type ControlPlane } from './server';
export { loadControlPlaneEnv, type ControlPlaneEnv } from './env';
export { openDatabase } from './db/data-source';
export { TokenRateLimiter } from './common/guard/rate.limiter';
