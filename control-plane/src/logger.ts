import pino from 'pino';
import { logLevel } from './env';

/** JSON logs; secrets never reach here (services log ids and codes, not payloads). */
export const logger = pino({ name: 'control-plane', level: logLevel() });
