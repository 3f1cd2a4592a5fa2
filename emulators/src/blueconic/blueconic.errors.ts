// BlueConic's documented error body (schema ErrorRequestBean): {code, message, errors:[{message}]}.
import type { EmulatorResponse } from '../emulator/emulator.router';

export function blueConicErrorBody(status: number, message: string, detail?: string): unknown {
  return { code: status, message, errors: [{ message: detail ?? message }] };
}

export function blueConicError(status: number, message: string, detail?: string): EmulatorResponse {
  return { status, body: blueConicErrorBody(status, message, detail) };
}
