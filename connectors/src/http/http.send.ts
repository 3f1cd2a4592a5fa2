import type { Dispatcher } from 'undici';
import { refused } from './call.failure';
import type { HttpResult } from './connector.client';
import { FORBIDDEN_ADDRESS_CODE } from '../net/outbound.lookup';

const MAX_RESPONSE_CHARS = 1_000_000;

export interface RawRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * One HTTP exchange over an SSRF-guarded agent, as a value: the answer (status, headers, text,
 * JSON when it says so), a refusal (a forbidden address at connect time) or a network error or
 * timeout (status null). Never rejects.
 */
export async function sendHttp(agent: Dispatcher, req: RawRequest, timeoutMs: number): Promise<HttpResult> {
  const started = performance.now();
  try {
    const res = await agent.request({
      origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body,
      headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
    });
    const text = (await res.body.text()).slice(0, MAX_RESPONSE_CHARS);
    const result: HttpResult = { status: res.statusCode, headers: res.headers, text, json: undefined, durationMs: Math.round(performance.now() - started), phase: 'request' };
    if (text && String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        result.json = JSON.parse(text);
      } catch {
        /* not JSON after all: keep the text */
      }
    }
    return result;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === FORBIDDEN_ADDRESS_CODE) return refused(err.message, started, false);
    const reason = /TIMEOUT/.test(err.code ?? '') ? `timed out after ${timeoutMs} ms` : `${err.code ?? err.name}: ${err.message}`;
    return { status: null, headers: null, text: '', json: undefined, durationMs: Math.round(performance.now() - started), error: reason, phase: 'request' };
  }
}
