import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
}

/** A local OTLP/HTTP (JSON) trace receiver: what Jaeger's :4318 would get. */
export async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        const service = String((rs.resource?.attributes ?? []).find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '');
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
          const attributes: Record<string, unknown> = {};
          for (const a of s.attributes ?? []) attributes[a.key] = Object.values(a.value ?? {})[0];
          spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, service, attributes });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Everything this process writes to stdout and stderr while capturing (pino writes with
 * fs.writeSync on fd 1; console goes through process.stdout), still passed through.
 */
export function captureOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const keep = (data: unknown) => chunks.push(typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8') : String(data));
  const { writeSync, write } = fs;
  const out = process.stdout.write;
  const err = process.stderr.write;
  (fs as any).writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) keep(data);
    return (writeSync as any)(fd, data, ...rest);
  };
  (fs as any).write = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) keep(data);
    return (write as any)(fd, data, ...rest);
  };
  process.stdout.write = ((data: unknown, ...rest: unknown[]) => (keep(data), (out as any).call(process.stdout, data, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((data: unknown, ...rest: unknown[]) => (keep(data), (err as any).call(process.stderr, data, ...rest))) as typeof process.stderr.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      (fs as any).writeSync = writeSync;
      (fs as any).write = write;
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}
