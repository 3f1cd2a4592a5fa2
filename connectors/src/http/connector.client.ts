import type { Agent, Dispatcher } from 'undici';
import type { EgressProxy } from '../net/egress.proxy';
import { connectorRegistry, type ConnectorRegistry } from '../manifest/manifest.registry';
import { fillTemplate } from '../manifest/template';
import { checkOutboundUrl } from '../net/outbound-url';
import { createOutboundAgent } from '../net/outbound.lookup';
import { sendHttp } from './http.send';
import type { CredentialSecret } from '../secrets/credential.types';
import { signRequest, type OutgoingRequest, type SignDetails, type TokenRefresher } from './auth.signer';
import { failureOf, refused, RequestRefused } from './call.failure';
import type { OAuth2TokenCache } from './oauth2.tokens';
import { captureRequest, type CapturedRequest } from './request.capture';

/**
 * Where an outcome was decided: the platform's own answer, the credential's token endpoint, or
 * the hub before anything was sent (SSRF policy, configuration, an unreadable secret, the database).
 */
export type CallPhase = 'request' | 'token' | 'local';

/** What came back from a platform. Every failure is a value: `call` never rejects. */
export interface HttpResult {
  status: number | null;
  headers: Record<string, string | string[] | undefined> | null;
  text: string;
  json: unknown;
  durationMs: number;
  error?: string;
  phase: CallPhase;
  /** The answer says the credential itself is refused (401/403, invalid_client, unreadable secret). */
  credentialRefused?: boolean;
  /** Set when the status alone does not decide: true for a transient local failure or a token just renewed. */
  retryable?: boolean;
  /** A dry run's write: built and signed, not sent (no status; not a failure). */
  notSent?: boolean;
}

/** The SSRF policy as a throwing check: the URL, or RequestRefused saying why not. */
export function assertOutboundUrl(raw: string, allowHosts: Set<string>): URL {
  const verdict = checkOutboundUrl(raw, allowHosts);
  if (!verdict.ok) throw new RequestRefused(`${raw} ${verdict.reason}`);
  return verdict.url;
}

/** One header of a result, lower-case name; the first value when repeated. */
export function headerOf(result: HttpResult, name: string): string | null {
  const v = result.headers?.[name.toLowerCase()];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

/** Where a call goes: a connector account (base URL, params) and the credential to sign with. */
export interface Endpoint {
  connector: string;
  credentialId: string;
  baseUrl: string;
  params: Record<string, string>;
}

export interface CallOptions {
  /** Overrides the client's default timeout (a sync's delivery policy). */
  timeoutMs?: number;
  /** Query parameters added to the operation's own (a list's page size, cursor or offset). */
  query?: Record<string, string>;
  /** A sandbox dry run: a request that writes (anything but GET and HEAD) is built and signed but not sent. */
  dryRun?: boolean;
  /** Receives the request as sent (or as it would be), secrets redacted: what a sandbox run reports. */
  capture?: (req: CapturedRequest) => void;
  /** The tenant's own egress proxy, in place of the operator's (see egress.proxy.ts). */
  proxy?: EgressProxy | null;
}

/**
 * Calls one manifest operation of a connector, signed with the endpoint's credential, over one
 * keep-alive undici agent whose connections are checked against the SSRF policy at connect time.
 */
export class ConnectorClient {
  private readonly agent: Dispatcher;
  /** One keep-alive agent per tenant proxy in use. */
  private readonly proxied = new Map<string, Agent>();

  constructor(
    private readonly credentialOf: (id: string) => Promise<CredentialSecret | null>,
    private readonly oauth2: OAuth2TokenCache,
    private readonly allowHosts: Set<string>,
    private readonly timeoutMs: number,
    private readonly refreshTokens: TokenRefresher,
    private readonly registry: ConnectorRegistry = connectorRegistry(),
    /** The operator's egress proxy for every call (HUB_EGRESS_PROXY_URL), unless a tenant names its own. */
    egressProxy?: EgressProxy,
  ) {
    this.agent = createOutboundAgent({ allowHosts, connectTimeoutMs: Math.min(timeoutMs, 10_000), proxy: egressProxy });
  }

  private agentFor(proxy: EgressProxy | null | undefined): Dispatcher {
    if (!proxy) return this.agent;
    const key = proxy.url.href;
    let agent = this.proxied.get(key);
    if (!agent) {
      agent = createOutboundAgent({ allowHosts: this.allowHosts, connectTimeoutMs: Math.min(this.timeoutMs, 10_000), proxy });
      this.proxied.set(key, agent);
    }
    return agent;
  }

  async call(endpoint: Endpoint, operation: string, vars: Record<string, string>, body?: unknown, opts: CallOptions = {}): Promise<HttpResult> {
    const started = performance.now();
    let req: OutgoingRequest;
    let secret: CredentialSecret | null;
    let signed: SignDetails;
    try {
      const manifest = this.registry.get(endpoint.connector);
      if (!manifest) throw new RequestRefused(`unknown connector ${endpoint.connector}`);
      const op = this.registry.httpOperation(endpoint.connector, operation);
      const all = { ...endpoint.params, ...vars };
      const url = this.allowed(`${endpoint.baseUrl}${fillTemplate(op.path, all, encodeURIComponent)}`);
      const query = Object.entries(op.query ?? {}).map(([k, v]) => [k, fillTemplate(v, all)] as [string, string]);
      query.push(...Object.entries(opts.query ?? {}));
      req = { method: op.method, url, query, headers: { accept: 'application/json' } };
      secret = await this.credentialOf(endpoint.credentialId);
      if (!secret) return refused(`credential ${endpoint.credentialId} no longer exists`, started, true);
      signed = await signRequest(req, endpoint.credentialId, secret, manifest, endpoint.baseUrl, this.oauth2, (u) => this.allowed(u), this.refreshTokens);
    } catch (e) {
      return failureOf(e, started);
    }
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (opts.dryRun && write) {
      opts.capture?.(captureRequest(req, body, secret, signed.signatureBaseString, false));
      return { status: null, headers: null, text: '', json: undefined, durationMs: Math.round(performance.now() - started), phase: 'local', notSent: true };
    }
    opts.capture?.(captureRequest(req, body, secret, signed.signatureBaseString, true));
    const result = await this.send(this.agentFor(opts.proxy), req, body, opts.timeoutMs ?? this.timeoutMs);
    if (result.status === 401 && secret.kind === 'oauth2_client_credentials') {
      this.oauth2.invalidate(endpoint.credentialId);
      result.retryable = true;
    }
    // An access token revoked early: refresh once now, so the retry of this event finds a fresh one.
    if (result.status === 401 && secret.kind === 'oauth2_authorization_code') {
      await this.refreshTokens(endpoint.credentialId, secret.accessToken).then(() => (result.retryable = true), () => undefined);
    }
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), ...[...this.proxied.values()].map((a) => a.close())]);
  }

  private allowed(raw: string): URL {
    return assertOutboundUrl(raw, this.allowHosts);
  }

  private async send(agent: Dispatcher, req: OutgoingRequest, body: unknown, timeoutMs: number): Promise<HttpResult> {
    const url = new URL(req.url);
    for (const [k, v] of req.query) url.searchParams.append(k, v);
    const headers = req.headers;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const result = await sendHttp(agent, { method: req.method, url, headers, body: payload }, timeoutMs);
    if (result.status === 401 || result.status === 403) result.credentialRefused = true;
    return result;
  }
}
