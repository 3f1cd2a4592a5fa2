import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorHandle } from '../emulator/emulator.types';

/** How the sink checks what arrives on one channel (a path segment: POST /hooks/{channel}). */
export interface SinkChannelConfig {
  /** Header carrying a hex HMAC-SHA256 of the raw body (the webhooks guide's X-…-Signature). */
  hmacHeader?: string;
  /** Secrets tried for the hex HMAC; several during a rotation. */
  hmacSecrets?: string[];
  /** Standard Webhooks secrets (`whsec_…`), tried against every `v1,` signature. */
  standardWebhooksSecrets?: string[];
}

/** null: not checked (no secret configured for that scheme on the channel). */
export interface SinkVerification {
  hmac: boolean | null;
  standardWebhooks: boolean | null;
}

export interface SinkDelivery {
  /** `dlv_<n>`, in arrival order. */
  id: string;
  channel: string;
  receivedAt: string;
  headers: IncomingHttpHeaders;
  /** The raw body as received (what a signature covers). */
  rawBody: string;
  /** The body parsed as JSON; null when it is not JSON. */
  json: unknown;
  verification: SinkVerification;
}

export interface SinkOptions {
  port?: number;
  host?: string;
  channels?: Record<string, SinkChannelConfig>;
}

export interface SinkHandle extends EmulatorHandle {
  /** Everything received (answered or faulted), optionally of one channel. */
  deliveries(channel?: string): SinkDelivery[];
  /** The URL to configure as a webhook destination for a channel. */
  hookUrl(channel: string): string;
  configure(channel: string, config: SinkChannelConfig): void;
}
