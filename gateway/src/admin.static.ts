import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** The web console's build (console/dist), served at /admin with an SPA fallback to index.html. */
export const ADMIN_PREFIX = '/admin';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};

// The console talks to /graphql on this origin only; no inline scripts, no framing.
const SECURITY = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const isAdminPath = (path: string) => path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`) || path.startsWith(`${ADMIN_PREFIX}?`);

function send(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { code, message } }));
}

function fileAt(path: string): { size: number } | null {
  try {
    const s = statSync(path);
    return s.isFile() ? { size: s.size } : null;
  } catch {
    return null;
  }
}

/**
 * GET/HEAD under /admin: a file of the build (hashed assets cached for a year, the rest revalidated),
 * else index.html for the console's own routes; a missing asset is a 404, not the page.
 */
export function serveAdmin(req: IncomingMessage, res: ServerResponse, dir: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method_not_allowed', 'The console is read with GET', { allow: 'GET, HEAD' });
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === ADMIN_PREFIX) return void res.writeHead(308, { location: `${ADMIN_PREFIX}/${url.search}` }).end();
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname.slice(ADMIN_PREFIX.length + 1));
  } catch {
    return send(res, 400, 'bad_path', 'The path is not valid percent-encoding');
  }
  const root = normalize(dir + sep);
  const wanted = normalize(join(root, rel));
  if (!wanted.startsWith(root) || rel.includes('\0')) return send(res, 404, 'not_found', 'No such file in the console');
  let file = rel === '' ? null : fileAt(wanted);
  let path = wanted;
  if (!file) {
    if (extname(rel) !== '') return send(res, 404, 'not_found', `No such file in the console: ${rel}`);
    path = join(root, 'index.html');
    file = fileAt(path);
    if (!file) return send(res, 503, 'console_not_built', 'The console is not built: run `npm run build -w @datahub/console` (npm start does it)');
  }
  const immutable = rel.startsWith('assets/') && path === wanted;
  res.writeHead(200, {
    ...SECURITY,
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(file.size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(path).on('error', () => res.destroy()).pipe(res);
}
