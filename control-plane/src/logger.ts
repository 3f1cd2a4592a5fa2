import pino from 'pino';

/** JSON logs; secrets never reach here (services log ids and codes, not payloads). */
export const logger = pino({ name: 'control-plane', level: process.env.LOG_LEVEL ?? 'info' });
