import Ajv, { type ValidateFunction } from 'ajv';

export type EventValidator = ValidateFunction;

/** Business event types are named like the integration spec's: partnership.created, contract.signed, … */
export const EVENT_TYPE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export type SchemaCompile = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

/** First failing field of a payload: its JSON pointer (RFC 6901, '' for the whole payload) and why. */
export interface EventInvalid {
  pointer: string;
  message: string;
}

// Unknown keywords and invalid schemas are refused when a type is declared, not discovered when the
// first event arrives (strictSchema); the stricter style checks (strictRequired, strictTypes) are
// off, since they refuse valid JSON Schemas such as {"required": ["id"]} without "properties".
// One instance per process; compiled schemas are cached by the callers.
const ajv = new Ajv({ allErrors: false, strict: false, strictSchema: true, validateSchema: true });

/** Compiles a tenant's JSON Schema (draft-07, ajv's default); a schema that does not compile is refused with the reason. */
export function compileEventSchema(schema: unknown): SchemaCompile {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return { ok: false, message: 'schema must be a JSON Schema object' };
  if (JSON.stringify(schema).length > 64 * 1024) return { ok: false, message: 'schema must be at most 64 KiB' };
  if ('$async' in schema) return { ok: false, message: '$async schemas are not supported' };
  try {
    return { ok: true, validate: ajv.compile(schema) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** null when the payload matches; otherwise the first failing field. */
export function validateEvent(validate: ValidateFunction, data: unknown): EventInvalid | null {
  if (validate(data)) return null;
  const err = validate.errors?.[0];
  if (!err) return { pointer: '', message: 'does not match the schema' };
  // A missing required property is reported on its parent; point at the property itself.
  const missing = err.keyword === 'required' ? `/${String((err.params as { missingProperty: string }).missingProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
  const extra = err.keyword === 'additionalProperties' ? `/${String((err.params as { additionalProperty: string }).additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
  return { pointer: `${err.instancePath}${missing}${extra}`, message: err.message ?? 'does not match the schema' };
}
