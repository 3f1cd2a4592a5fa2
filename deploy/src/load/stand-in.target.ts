import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultRule } from '@datahub/emulators';
import { emailOf, ReceiptLog } from './receipt.log';
import type { LoadTargets } from './load.targets';

const TOKEN = 'stand-in-token';

/**
 * BlueConic and Copernica stand-ins on one light HTTP server: the same paths and shapes the hub's
 * connectors use (OAuth 2 token, GET profile; Copernica one-call upsert, lookup, create, update), no bookkeeping
 * beyond a map of e-mail → profile id, and a receipt time per successful write. Every profile id
 * exists on the source side (`<id>@load.test`). For rates the emulators cannot keep up with.
 */
export async function startStandInTargets(): Promise<LoadTargets> {
  const receipts = new ReceiptLog();
  const idByEmail = new Map<string, number>();
  const emailById = new Map<number, string>();
  let nextId = 1;
  const rules: FaultRule[] = [];

  const fault = (req: IncomingMessage, path: string, res: ServerResponse): boolean => {
    const i = rules.findIndex((r) => (!r.method || r.method === req.method) && (!r.pathPattern || new RegExp(r.pathPattern).test(path)));
    if (i < 0) return false;
    const rule = rules[i]!;
    if (rule.times !== undefined && --rule.times <= 0) rules.splice(i, 1);
    if (rule.resetConnection) {
      req.socket.destroy();
      return true;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (rule.retryAfterSec !== undefined) headers['retry-after'] = String(rule.retryAfterSec);
    res.writeHead(rule.status ?? 429, headers).end(JSON.stringify(rule.body ?? { error: { message: 'stand-in fault' } }));
    return true;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    if (path.startsWith('/v3/') && fault(req, path, res)) return;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => void
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (req.method === 'POST' && path === '/rest/v2/oauth/token') {
      return json(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 });
    }
    let m = /^\/rest\/v2\/profiles\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const id = decodeURIComponent(m[1]!);
      return json(200, {
        id, permissions: { level: 'PERSONAL' },
        properties: [{ id: 'email', values: [emailOf(id)] }, { id: 'firstname', values: ['Load'] }, { id: 'interests', values: ['news', 'sports'] }],
      });
    }
    m = /^\/v3\/database\/([^/]+)\/profiles$/.exec(path);
    if (m && req.method === 'GET') {
      const filter = /^email==(.*)$/.exec(url.searchParams.get('fields[]') ?? '');
      const id = filter ? idByEmail.get(filter[1]!) : undefined;
      const data = id === undefined ? [] : [{ ID: String(id), fields: { email: filter![1] }, interests: [] }];
      return json(200, { start: 0, limit: 100, count: data.length, total: data.length, data });
    }
    if (m && req.method === 'PUT') {
      // Copernica's one-call upsert: ?fields[]=email==x&create=1 updates the match or creates one.
      const email = /^email==(.*)$/.exec(url.searchParams.get('fields[]') ?? '')?.[1];
      if (typeof email !== 'string' || typeof parse(raw)?.fields !== 'object') return json(400, { error: { message: 'Invalid data provided' } });
      receipts.record(email);
      if (idByEmail.has(email)) return void res.writeHead(204).end();
      const id = nextId++;
      idByEmail.set(email, id);
      emailById.set(id, email);
      return void res.writeHead(201, { 'x-created': String(id) }).end();
    }
    if (m && req.method === 'POST') {
      const email = parse(raw)?.fields?.email;
      if (typeof email !== 'string') return json(400, { error: { message: 'Invalid data provided' } });
      const id = nextId++;
      idByEmail.set(email, id);
      emailById.set(id, email);
      receipts.record(email);
      res.writeHead(201, { 'x-created': String(id) }).end();
      return;
    }
    m = /^\/v3\/profile\/(\d+)$/.exec(path);
    if (m && req.method === 'PUT') {
      const email = parse(raw)?.fields?.email ?? emailById.get(Number(m[1]));
      if (typeof email !== 'string') return json(400, { error: { message: 'No entity with supplied ID' } });
      receipts.record(email);
      res.writeHead(204).end();
      return;
    }
    json(404, { error: { message: 'Invalid method' } });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    kind: 'stand-in',
    blueconicUrl: `${origin}/rest/v2`,
    copernicaUrl: `${origin}/v3`,
    receipts,
    seedProfiles: () => undefined,
    faults: { add: (rule) => void rules.push({ ...rule }), clear: () => void rules.splice(0) },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function parse(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
