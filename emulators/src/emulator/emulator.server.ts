// The shared HTTP shell of every emulator: body parsing, faults, credential check, routing,
// request recording and the /_emulator control endpoints.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl, CONTROL_PREFIX } from './emulator.control';
import { EmulatorRequest, EmulatorResponse, Route, Router } from './emulator.router';
import { EmulatorHandle, FaultRule, RecordedRequest } from './emulator.types';
import { FaultRules } from './fault.injector';
import { BodyTooLarge, parseBody, queryRecord, readBody } from './http.body';

/** What a vendor plugs into the shell. */
export interface VendorAdapter {
  /** API prefix, e.g. `/rest/v2`; `url` on the handle is origin + basePath. */
  basePath: string;
  routes: Route[];
  /** Checks credentials and sets req.authKind; returns the rejection, or undefined to proceed. */
  authenticate(req: EmulatorRequest): EmulatorResponse | undefined;
  /** The vendor's answer to an unknown path or a known path with the wrong method. */
  unmatched(req: EmulatorRequest, kind: 'wrong-method' | 'none'): EmulatorResponse;
  /** The vendor's answer to a body that does not parse. */
  malformedBody(req: EmulatorRequest, message: string): EmulatorResponse;
  /** The vendor's error body for a status, used for injected faults and emulator bugs. */
  errorBody(status: number, message: string): unknown;
  state(): unknown;
  reset(): void;
}

export interface ListenOptions {
  port?: number;
  host?: string;
}

export const DEFAULT_HOST = '127.0.0.1';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startEmulator(adapter: VendorAdapter, listen: ListenOptions = {}): Promise<EmulatorHandle> {
  const router = new Router(adapter.routes);
  const faults = new FaultRules();
  const requests: RecordedRequest[] = [];
  const reset = () => {
    adapter.reset();
    faults.clear();
    requests.length = 0;
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: adapter.errorBody(500, `emulator error: ${String(err)}`) });
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    // Prefixing (rather than resolving against a base) keeps a target like `//x/y` a path.
    const url = new URL(target.startsWith('/') ? `http://emulator.invalid${target}` : target);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const receivedAtMs = Date.now();

    let rawBody = '';
    try {
      rawBody = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      send(res, { status: 413, body: adapter.errorBody(413, err.message) });
      return;
    }

    if (path === CONTROL_PREFIX || path.startsWith(CONTROL_PREFIX + '/')) {
      send(res, handleControl({ method, path, rawBody, adapter, faults, requests, reset }));
      return;
    }

    const parsed = parseBody(rawBody, req.headers['content-type']);
    const request: EmulatorRequest = {
      method,
      path,
      target,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body: parsed.ok ? parsed.body : undefined,
      params: {},
    };
    const record = (status: number) =>
      requests.push({
        method,
        path,
        query: queryRecord(url.searchParams),
        headers: req.headers,
        body: parsed.ok ? parsed.body : rawBody,
        status,
        authKind: request.authKind,
        receivedAtMs,
      });

    const fault = faults.take(method, path);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.resetConnection) {
      record(0);
      req.socket.resetAndDestroy();
      return;
    }
    const injected = fault && faultResponse(fault, adapter);
    const response = injected ?? (await answer(request, parsed.ok ? undefined : parsed.error));
    record(response.status);
    send(res, response);
  }

  async function answer(request: EmulatorRequest, bodyError: string | undefined): Promise<EmulatorResponse> {
    const match = router.match(request.method, request.path);
    const inApi = request.path === adapter.basePath || request.path.startsWith(adapter.basePath + '/');
    if (inApi && !(match.kind === 'found' && match.route.public)) {
      const rejection = adapter.authenticate(request);
      if (rejection) return rejection;
    }
    if (match.kind !== 'found') return adapter.unmatched(request, match.kind);
    if (bodyError !== undefined) return adapter.malformedBody(request, bodyError);
    request.params = match.params;
    return match.route.handle(request);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? DEFAULT_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host ?? DEFAULT_HOST;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeServer(server));
  return { url: origin + adapter.basePath, origin, port, faults, requests, reset, close };
}

/** An injected answer, or undefined when the rule only adds latency. */
function faultResponse(fault: FaultRule, adapter: VendorAdapter): EmulatorResponse | undefined {
  const status = fault.status ?? (fault.retryAfterSec !== undefined ? 429 : undefined);
  if (status === undefined) return undefined;
  const headers: Record<string, string> = {};
  if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(Math.ceil(fault.retryAfterSec));
  const body = fault.body !== undefined ? fault.body : adapter.errorBody(status, 'fault injected by the emulator');
  return { status, headers, body };
}

export function send(res: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  const noBody = response.status === 204 || response.status === 304 || response.body === undefined;
  const payload = noBody ? undefined : Buffer.from(JSON.stringify(response.body), 'utf8');
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  if (response.chunked && payload) {
    res.writeHead(response.status, headers);
    // Two writes so that Node has to use chunked transfer encoding.
    const half = Math.floor(payload.length / 2);
    res.write(payload.subarray(0, half));
    res.end(payload.subarray(half));
    return;
  }
  if (response.status !== 204 && response.status !== 304) headers['content-length'] = String(payload?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
