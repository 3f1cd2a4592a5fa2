// Public shapes shared by every emulator.
import type { IncomingHttpHeaders } from 'node:http';

/** Which credential a request presented (accepted or not: see its status). */
export type AuthKind = 'client_credentials' | 'bearer' | 'access_token' | 'oauth1' | 'api_token';

export interface RecordedRequest {
  method: string;
  /** Pathname, without the query. */
  path: string;
  /** Decoded query; a repeated name becomes an array. */
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; the raw text when it could not be parsed; undefined when empty. */
  body: unknown;
  /** Status sent; 0 when the connection was reset by a fault. */
  status: number;
  authKind?: AuthKind;
  /** When the emulator received the request (ms since the epoch): pacing and latency checks. */
  receivedAtMs: number;
}

export interface FaultRule {
  method?: string;
  /** Regular expression tested against the pathname. */
  pathPattern?: string;
  status?: number;
  body?: unknown;
  /** Adds a Retry-After header; without `status` the answer is 429. */
  retryAfterSec?: number;
  latencyMs?: number;
  /** Destroys the socket instead of answering. */
  resetConnection?: boolean;
  /** How many matching requests the rule applies to; default unlimited. */
  times?: number;
}

export interface FaultInjector {
  add(rule: FaultRule): void;
  clear(): void;
  /** Rules still in force; `times` shows what is left. */
  active(): FaultRule[];
}

export interface EmulatorHandle {
  /** API base URL, e.g. http://127.0.0.1:PORT/rest/v2. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  faults: FaultInjector;
  requests: RecordedRequest[];
  /** Clears state (back to the start options), faults and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}
