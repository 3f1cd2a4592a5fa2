import type { IncomingMessage } from 'node:http';

const EMPTY = Buffer.alloc(0);

/**
 * The whole body of a request, or null once it is over `maxBytes` (by its Content-Length, or by the
 * bytes read). Over the limit the request is paused, not destroyed: the caller answers 413 and
 * drains it (`answerThenDiscard`), so the client can read the answer. A request with neither
 * Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3) and resolves at once (a
 * notify by GET). Stream events rather than the async iterator: for the small bodies webhooks carry,
 * the iterator's promises and stream bookkeeping cost more than the read itself (ingress profile,
 * bench/README.md). Rejects when the client goes away before the end.
 */
export function readBodyUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return Promise.resolve(EMPTY);
  if (Number(length ?? 0) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | null, err?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.pause();
      settle(null);
    };
    const onEnd = () => settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onError = (err: Error) => settle(null, err);
    const onClose = () => settle(null, new Error('the client closed the request before its body ended'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
