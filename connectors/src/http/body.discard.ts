import type { IncomingMessage, ServerResponse } from 'node:http';

export interface DiscardLimits {
  /** Bytes of the refused body read and dropped at most; past this the connection is closed. */
  maxBytes: number;
  /** How long the rest of the body may take to arrive; then the connection is closed. */
  timeoutMs: number;
}

export const DEFAULT_DISCARD_LIMITS: DiscardLimits = { maxBytes: 16 * 1024 * 1024, timeoutMs: 10_000 };

/**
 * Answers a request whose body was refused (413) while the client may still be sending it: the
 * answer goes out at once with `Connection: close`, the rest of the body is read and dropped (up to
 * `limits`), and only then does the response end and the connection close. Closing with unread
 * bytes makes the kernel send a reset, which destroys the answer in the client's buffer: a client
 * that writes its whole body before reading (Python's urllib) would see a reset instead of the 413.
 */
export function answerThenDiscard(
  req: IncomingMessage, res: ServerResponse, status: number, body: string,
  headers: Record<string, string> = {}, limits: DiscardLimits = DEFAULT_DISCARD_LIMITS,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' });
  res.write(body);
  discardThen(req, limits, () => res.end());
}

/**
 * Reads and drops what is left of `req`, then calls `done` (once): at its end, or past
 * `limits.maxBytes` or `limits.timeoutMs` (then the socket is destroyed after `done`).
 */
export function discardThen(req: IncomingMessage, limits: DiscardLimits, done: () => void): void {
  let finished = false;
  let dropped = 0;
  const finish = (destroy: boolean) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    req.off('data', onData);
    done();
    if (destroy) req.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limits.maxBytes) finish(true);
  };
  const timer = setTimeout(() => finish(true), limits.timeoutMs);
  timer.unref();
  if (req.complete || req.readableEnded) return finish(false);
  req.on('data', onData);
  req.once('end', () => finish(false));
  req.once('close', () => finish(false));
  req.once('error', () => finish(true));
  req.resume();
}
