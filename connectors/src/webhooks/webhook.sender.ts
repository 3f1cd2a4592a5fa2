import type { Dispatcher } from 'undici';
import { refused } from '../http/call.failure';
import type { HttpResult } from '../http/connector.client';
import { sendHttp } from '../http/http.send';
import { checkOutboundUrl } from '../net/outbound-url';
import type { EgressProxy } from '../net/egress.proxy';
import { createOutboundAgent } from '../net/outbound.lookup';
import { signWebhook } from './webhook.sign';

/** Where and how one destination receives webhooks (secrets decrypted, kept in memory only). */
export interface WebhookTarget {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  hmacHeader: string;
  /** Active signing secrets, oldest first. */
  secrets: string[];
}

/**
 * POSTs signed webhook payloads over one keep-alive agent checked against the SSRF policy (the
 * URL before sending, every connection's address at connect time). Never rejects.
 */
export class WebhookSender {
  private readonly agent: Dispatcher;

  /** `egressProxy`: the operator's proxy (HUB_EGRESS_PROXY_URL), as for connector calls. */
  constructor(private readonly allowHosts: Set<string>, connectTimeoutMs = 10_000, egressProxy?: EgressProxy) {
    this.agent = createOutboundAgent({ allowHosts, connectTimeoutMs, proxy: egressProxy });
  }

  async send(target: WebhookTarget, body: string, messageId: string, nowMs = Date.now()): Promise<HttpResult> {
    const started = performance.now();
    const verdict = checkOutboundUrl(target.url, this.allowHosts);
    if (!verdict.ok) return refused(`${target.url} ${verdict.reason}`, started, false);
    const signature = signWebhook({ secrets: target.secrets, hmacHeader: target.hmacHeader, messageId, timestampSec: Math.floor(nowMs / 1000), body });
    const headers = { ...target.headers, ...signature, 'content-type': 'application/json', 'user-agent': 'DataHub-Webhooks/1' };
    return sendHttp(this.agent, { method: 'POST', url: verdict.url, headers, body }, target.timeoutMs);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
