// startSink: a webhook receiver (like webhook.site) for destinations and sandboxes: it records what
// arrives per channel, checks signatures, and shows it over HTTP. Faults come from the shared shell
// (5xx, 429 + Retry-After, latency, connection resets); a faulted request is not a delivery.
import type { EmulatorRequest, EmulatorResponse, Route } from '../emulator/emulator.router';
import { startEmulator } from '../emulator/emulator.server';
import type { SinkChannelConfig, SinkDelivery, SinkHandle, SinkOptions } from './sink.types';
import { verifyDelivery } from './sink.verify';

const CHANNEL = /^[A-Za-z0-9._-]{1,100}$/;

export async function startSink(opts: SinkOptions = {}): Promise<SinkHandle> {
  const initial = opts.channels ?? {};
  let channels = new Map<string, SinkChannelConfig>(Object.entries(initial));
  let deliveries: SinkDelivery[] = [];
  let seq = 0;

  const receive = (req: EmulatorRequest, channel: string): EmulatorResponse => {
    let json: unknown = null;
    try {
      json = req.rawBody ? JSON.parse(req.rawBody) : null;
    } catch {
      json = null;
    }
    const delivery: SinkDelivery = {
      id: `dlv_${++seq}`, channel, receivedAt: new Date().toISOString(), headers: req.headers, rawBody: req.rawBody, json,
      verification: verifyDelivery(channels.get(channel), req.headers, req.rawBody),
    };
    deliveries.push(delivery);
    return { status: 200, body: { status: 'ok', id: delivery.id } };
  };
  const bad = (message: string): EmulatorResponse => ({ status: 400, body: { error: message } });

  const routes: Route[] = [
    { method: 'POST', path: '/hooks/:channel', handle: (req) => CHANNEL.test(req.params.channel!) ? receive(req, req.params.channel!) : bad('channel must be 1..100 of [A-Za-z0-9._-]') },
    {
      method: 'GET', path: '/deliveries',
      handle: (req) => {
        const channel = req.query.get('channel');
        const list = deliveries.filter((d) => !channel || d.channel === channel);
        return { status: 200, body: { deliveries: list, total: list.length } };
      },
    },
    {
      method: 'GET', path: '/deliveries/:id',
      handle: (req) => {
        const found = deliveries.find((d) => d.id === req.params.id);
        return found ? { status: 200, body: found } : { status: 404, body: { error: `no delivery ${req.params.id}` } };
      },
    },
    { method: 'DELETE', path: '/deliveries', handle: () => ((deliveries = []), { status: 204 }) },
    {
      method: 'PUT', path: '/channels/:channel',
      handle: (req) => {
        const problem = channelProblem(req.body);
        if (problem) return bad(problem);
        channels.set(req.params.channel!, req.body as SinkChannelConfig);
        return { status: 200, body: req.body };
      },
    },
  ];

  const handle = await startEmulator({
    basePath: '',
    routes,
    authenticate: () => undefined,
    unmatched: (req, kind) => (kind === 'wrong-method' ? { status: 405, body: { error: `${req.method} not allowed on ${req.path}` } } : { status: 404, body: { error: `nothing at ${req.path}` } }),
    // A webhook whose body is not what its content type says still arrived: record it as is.
    malformedBody: (req) => {
      const m = /^\/hooks\/([^/]+)$/.exec(req.path);
      return m && req.method === 'POST' && CHANNEL.test(m[1]!) ? receive(req, m[1]!) : bad('malformed body');
    },
    errorBody: (_status, message) => ({ error: message }),
    state: () => ({ channels: Object.fromEntries(channels), deliveries: deliveries.length }),
    reset: () => {
      channels = new Map(Object.entries(initial));
      deliveries = [];
    },
  }, { port: opts.port, host: opts.host });

  return {
    ...handle,
    deliveries: (channel) => deliveries.filter((d) => !channel || d.channel === channel),
    hookUrl: (channel) => `${handle.origin}/hooks/${channel}`,
    configure: (channel, config) => void channels.set(channel, config),
  };
}

function channelProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object {hmacHeader, hmacSecrets, standardWebhooksSecrets}';
  const b = body as Record<string, unknown>;
  if (b.hmacHeader !== undefined && typeof b.hmacHeader !== 'string') return 'hmacHeader must be a string';
  for (const k of ['hmacSecrets', 'standardWebhooksSecrets']) {
    if (b[k] !== undefined && (!Array.isArray(b[k]) || !(b[k] as unknown[]).every((s) => typeof s === 'string'))) return `${k} must be a list of strings`;
  }
  return null;
}
