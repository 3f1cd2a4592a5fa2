import { connect } from 'node:net';
import { createTenant, setupScenario1, type SyncSetup } from '../demo/scenarios';
import { startTestStack, type TestStack } from './test.stack';

interface RawResult {
  /** The error the socket ended with (ECONNRESET, EPIPE), if any. */
  error?: string;
  response: string;
}

/**
 * A client as Python's urllib behaves: it writes the whole request, body included, before it
 * reads a byte of the answer (and never half-closes).
 */
function writeAllThenRead(url: string, path: string, bodyBytes: number, chunked: boolean): Promise<RawResult> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on('close', () => resolve({ error, response: Buffer.concat(received).toString('latin1') }));
    socket.once('connect', async () => {
      const head = [
        `POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Content-Type: application/json',
        chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bodyBytes}`, '', '',
      ].join('\r\n');
      const write = (data: string | Buffer) => new Promise<void>((done) => {
        if (socket.write(data)) done();
        else socket.once('drain', () => done());
      });
      await write(head);
      const piece = Buffer.alloc(64 * 1024, 0x20);
      for (let sent = 0; sent < bodyBytes && !socket.destroyed; sent += piece.length) {
        const part = piece.subarray(0, Math.min(piece.length, bodyBytes - sent));
        await write(chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part);
      }
      if (chunked && !socket.destroyed) await write('0\r\n\r\n');
      // Only now read the answer, as urllib does; done once it is complete (or the server closes).
      socket.on('data', (d: Buffer) => {
        received.push(d);
        const text = Buffer.concat(received).toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(text)?.[1] ?? NaN);
        if (end >= 0 && text.length >= end + 4 + length) socket.end();
      });
    });
  });
}

const THREE_MIB = 3 * 1024 * 1024;

describe('a 3 MiB webhook body from a client that writes it all before reading', () => {
  let stack: TestStack;
  let sync: SyncSetup;

  beforeAll(async () => {
    stack = await startTestStack();
    const t = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Big Body Club');
    sync = await setupScenario1(stack.graphqlUrl, t.token, t.projectId, stack.accounts);
  });
  afterAll(() => stack?.stop());

  const cases = [
    { via: 'gateway', chunked: false, bytes: THREE_MIB },
    { via: 'gateway', chunked: true, bytes: THREE_MIB },
    // Under the gateway's limit (1 MiB), over the ingress's (256 KiB): the gateway has read it all, the ingress refuses it.
    { via: 'gateway', chunked: false, bytes: 600 * 1024 },
    { via: 'ingress directly', chunked: false, bytes: THREE_MIB },
    { via: 'ingress directly', chunked: true, bytes: THREE_MIB },
  ] as const;

  it.each(cases)('reads 413 payload_too_large, not a reset, via $via ($bytes bytes, chunked: $chunked)', async ({ via, chunked, bytes }) => {
    const base = via === 'gateway' ? stack.gatewayUrl : stack.ingress.url;
    const path = new URL(sync.inboundUrl).pathname;
    const result = await writeAllThenRead(base, path, bytes, chunked);
    expect(result.error).toBeUndefined();
    expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
    // Whoever refused a body it had not read closes the connection after the answer.
    if (bytes === THREE_MIB) expect(result.response).toMatch(/\r\nconnection: close\r\n/i);
    expect(result.response).toContain('"code":"payload_too_large"');
  });

  it('still takes a normal webhook afterwards', async () => {
    const res = await fetch(`${sync.inboundUrl}?id=p1`);
    expect(res.status).toBe(202);
  });
});
