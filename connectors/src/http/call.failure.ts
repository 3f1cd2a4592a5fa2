import { TemplateVariableMissing } from '../manifest/template';
import { FORBIDDEN_ADDRESS_CODE } from '../net/outbound.lookup';
import { SecretUnreadable } from '../secrets/secret.box';
import { CredentialMisconfigured } from './auth.signer';
import type { HttpResult } from './connector.client';

/** A request the hub refuses to make (SSRF policy, missing credential, bad template): permanent. */
export class RequestRefused extends Error {}

/** A call refused before anything was sent; `credential` says the credential itself is at fault. */
export function refused(reason: string, startedMs: number, credential: boolean): HttpResult {
  return { status: null, headers: null, text: '', json: undefined, durationMs: Math.round(performance.now() - startedMs), error: reason, phase: 'local', credentialRefused: credential || undefined, retryable: false };
}

/** The shape simple-oauth2 (through @hapi/wreck and Boom) gives a token endpoint's error answer. */
interface TokenEndpointError extends Error {
  output?: { statusCode?: number };
  data?: { payload?: unknown };
  code?: string;
}

/**
 * Turns whatever preparing and signing a call threw into a value: refusals are permanent, a token
 * endpoint's 4xx refuses the credential, and anything else (the database, the token endpoint's
 * network) is transient.
 */
export function failureOf(e: unknown, startedMs: number): HttpResult {
  const err = e as TokenEndpointError;
  if (err instanceof CredentialMisconfigured || err instanceof SecretUnreadable) return refused(`credential: ${err.message}`, startedMs, true);
  if (err instanceof RequestRefused || err instanceof TemplateVariableMissing || err?.code === FORBIDDEN_ADDRESS_CODE) return refused(err.message, startedMs, false);
  const durationMs = Math.round(performance.now() - startedMs);
  const status = err?.output?.statusCode;
  if (typeof status === 'number') {
    const payload = err.data?.payload;
    const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : typeof payload === 'string' ? payload : JSON.stringify(payload ?? '');
    const refusedCredential = status === 400 || status === 401 || status === 403;
    return {
      status, headers: null, text: text.slice(0, 2000), json: undefined, durationMs, phase: 'token',
      error: `token endpoint answered HTTP ${status}${oauthError(text)}`, credentialRefused: refusedCredential || undefined,
    };
  }
  return { status: null, headers: null, text: '', json: undefined, durationMs, phase: 'local', retryable: true, error: `${err?.code ?? err?.name ?? 'Error'}: ${err?.message ?? String(e)}` };
}

/** ` (invalid_client)` when the body is an RFC 6749 §5.2 error. */
function oauthError(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? ` (${body.error})` : '';
  } catch {
    return '';
  }
}
