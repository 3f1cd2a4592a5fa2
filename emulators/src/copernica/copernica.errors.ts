// Copernica answers nearly every failure with HTTP 400 and {"error":{"message":"…"}} [CP-obs].
import type { EmulatorResponse } from '../emulator/emulator.router';

export const NO_ENTITY = 'No entity with supplied ID';
export const NO_DATABASE = 'No database with supplied ID';
export const INVALID_TOKEN = 'Invalid access token';
export const INVALID_DATA = 'Invalid data provided';
export const INVALID_METHOD = 'Invalid method';
export const FIELDS_REQUIRED = 'URL parameter fields is required';

export function copernicaErrorBody(message: string, extra: Record<string, unknown> = {}): unknown {
  return { error: { message, ...extra } };
}

export function copernicaError(message: string, status = 400, extra: Record<string, unknown> = {}): EmulatorResponse {
  return { status, body: copernicaErrorBody(message, extra) };
}
