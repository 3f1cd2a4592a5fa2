// ActiveCampaign's error shapes [AC-OAS]: {"message"} for a missing resource, {"errors":[…]} for
// validation, and a bare {} for bad input on /contact/sync and GET /contacts.
import type { EmulatorResponse } from '../emulator/emulator.router';

export function acMessage(status: number, message: string): EmulatorResponse {
  return { status, body: { message } };
}

export function acNotFound(kind: string, id: string): EmulatorResponse {
  return acMessage(404, `No Result found for ${kind} with id ${id}`);
}

export function acValidation(title: string, code: 'duplicate' | 'field_missing' | 'invalid', pointer: string): EmulatorResponse {
  return { status: 422, body: { errors: [{ title, detail: '', code, source: { pointer } }] } };
}

export const acBadInput: EmulatorResponse = { status: 400, body: {} };
