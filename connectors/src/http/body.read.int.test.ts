import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerThenDiscard } from './body.discard';
import { readBodyUpTo } from './body.read';

/** A server that reads each body with readBodyUpTo(·, 16) and answers what it got (413 over the limit). */
function serve(seen: (r: Promise<Buffer | null>) => void = () => undefined): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const read = readBodyUpTo(req, 16);
    seen(read);
    read.then((body) => {
      if (body === null) return answerThenDiscard(req, res, 413, 'too large');
      res.end(`got ${body.length}: ${body.toString()}`);
    }, () => res.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

function send(url: string, method: string, chunks: string[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('readBodyUpTo (request bodies of the ingress, gateway and control plane)', () => {
  let s: { server: Server; url: string };
  afterEach(() => new Promise((r) => s.server.close(r)));

  it('reads a body with a length and a chunked one; a request without a body is empty at once', async () => {
    s = await serve();
    expect(await send(s.url, 'POST', ['{"id":', '"42"}'], { 'content-length': '11' })).toEqual({ status: 200, body: 'got 11: {"id":"42"}' });
    expect(await send(s.url, 'POST', ['abc', 'def'])).toEqual({ status: 200, body: 'got 6: abcdef' }); // chunked
    expect(await send(s.url, 'GET', [])).toEqual({ status: 200, body: 'got 0: ' });
  });

  it('is null over the limit, by Content-Length or by the bytes of a chunked body, and the client still reads the 413', async () => {
    s = await serve();
    expect(await send(s.url, 'POST', ['x'.repeat(17)], { 'content-length': '17' })).toEqual({ status: 413, body: 'too large' });
    expect(await send(s.url, 'POST', ['x'.repeat(10), 'y'.repeat(10), 'z'.repeat(5000)])).toEqual({ status: 413, body: 'too large' });
  });

  it('rejects when the client goes away before the body ended', async () => {
    let read!: Promise<Buffer | null>;
    s = await serve((p) => (read = p));
    const req = request(s.url, { method: 'POST', headers: { 'content-length': '10' } });
    req.on('error', () => undefined);
    req.write('12345');
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await expect(read).rejects.toThrow(/aborted|closed the request before its body ended/);
  });
});
