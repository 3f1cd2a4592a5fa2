import { serveMetrics, type ServiceName } from '@datahub/connectors';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** /healthz (alive), /readyz (may get work: 503 with the reason when not) and /metrics on a small port of its own. */
export async function startHealthServer(port: number, host: string, notReady: () => string | null, service: ServiceName): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (serveMetrics(req, res, service)) return;
    const path = (req.url ?? '/').split('?')[0];
    const reason = path === '/readyz' ? notReady() : null;
    const status = path === '/healthz' || path === '/readyz' ? (reason ? 503 : 200) : 404;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { status: 'ok' } : { status: 'not ready', reason }));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
