import { connectorRegistry, type ConnectorRegistry } from '../manifest/manifest.registry';
import { fillTemplate } from '../manifest/template';
import { checkOutboundUrl } from '../net/outbound-url';
import type { CredentialSecret } from '../secrets/credential.types';
import { signRequest, type OutgoingRequest, type TokenRefresher } from './auth.signer';
import type { OAuth2TokenCache } from './oauth2.tokens';

/** What came back from a platform; transport failures are values too (status null). */
export interface HttpResult {
  status: number | null;
  headers: Headers | null;
  text: string;
  json: unknown;
  durationMs: number;
  error?: string;
}

/** A request the hub refuses to make (SSRF policy, missing credential, bad template): permanent. */
export class RequestRefused extends Error {}

const MAX_RESPONSE_CHARS = 1_000_000;

/** The SSRF policy as a throwing check: the URL, or RequestRefused saying why not. */
export function assertOutboundUrl(raw: string, allowHosts: Set<string>): URL {
  const verdict = checkOutboundUrl(raw, allowHosts);
  if (!verdict.ok) throw new RequestRefused(`${raw} ${verdict.reason}`);
  return verdict.url;
}

/** Where a call goes: a connector account (base URL, params) and the credential to sign with. */
export interface Endpoint {
  connector: string;
  credentialId: string;
  baseUrl: string;
  params: Record<string, string>;
}

/** Calls one manifest operation of a connector, signed with the endpoint's credential. */
export class ConnectorClient {
  constructor(
    private readonly credentialOf: (id: string) => Promise<CredentialSecret | null>,
    private readonly oauth2: OAuth2TokenCache,
    private readonly allowHosts: Set<string>,
    private readonly timeoutMs: number,
    private readonly refreshTokens: TokenRefresher,
    private readonly registry: ConnectorRegistry = connectorRegistry(),
  ) {}

  async call(endpoint: Endpoint, operation: string, vars: Record<string, string>, body?: unknown): Promise<HttpResult> {
    const manifest = this.registry.get(endpoint.connector);
    if (!manifest) throw new RequestRefused(`unknown connector ${endpoint.connector}`);
    const op = this.registry.httpOperation(endpoint.connector, operation);
    const all = { ...endpoint.params, ...vars };
    let req: OutgoingRequest;
    try {
      const url = this.allowed(`${endpoint.baseUrl}${fillTemplate(op.path, all, encodeURIComponent)}`);
      const query = Object.entries(op.query ?? {}).map(([k, v]) => [k, fillTemplate(v, all)] as [string, string]);
      req = { method: op.method, url, query, headers: { accept: 'application/json' } };
    } catch (e) {
      throw new RequestRefused((e as Error).message);
    }
    const secret = await this.credentialOf(endpoint.credentialId);
    if (!secret) throw new RequestRefused(`credential ${endpoint.credentialId} no longer exists`);
    await signRequest(req, endpoint.credentialId, secret, manifest, endpoint.baseUrl, this.oauth2, (u) => this.allowed(u), this.refreshTokens);
    const result = await this.send(req, body);
    if (result.status === 401 && secret.kind === 'oauth2_client_credentials') this.oauth2.invalidate(endpoint.credentialId);
    // An access token revoked early: refresh once now, so the retry of this event finds a fresh one.
    if (result.status === 401 && secret.kind === 'oauth2_authorization_code') await this.refreshTokens(endpoint.credentialId, secret.accessToken).catch(() => undefined);
    return result;
  }

  private allowed(raw: string): URL {
    return assertOutboundUrl(raw, this.allowHosts);
  }

  private async send(req: OutgoingRequest, body: unknown): Promise<HttpResult> {
    const url = new URL(req.url);
    for (const [k, v] of req.query) url.searchParams.append(k, v);
    const started = performance.now();
    const init: RequestInit = { method: req.method, headers: req.headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    try {
      const res = await fetch(url, init);
      const text = (await res.text()).slice(0, MAX_RESPONSE_CHARS);
      let json: unknown = undefined;
      if (text && (res.headers.get('content-type') ?? '').includes('json')) {
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      return { status: res.status, headers: res.headers, text, json, durationMs: Math.round(performance.now() - started) };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const reason = err.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : `${err.cause?.code ?? err.name}: ${err.message}`;
      return { status: null, headers: null, text: '', json: undefined, durationMs: Math.round(performance.now() - started), error: reason };
    }
  }
}
