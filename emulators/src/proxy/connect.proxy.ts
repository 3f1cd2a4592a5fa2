import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxyOptions {
  /** When set, a CONNECT without exactly this Proxy-Authorization is refused with 407. */
  requireAuth?: string;
}

export interface ConnectProxy {
  url: string;
  /** Every `host:port` a client asked to tunnel to, in order (refused ones too). */
  targets: string[];
  /** The Proxy-Authorization of each CONNECT, in the same order. */
  auths: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * An egress proxy as operators run one (Squid and the like): HTTP CONNECT on 127.0.0.1, tunnelling
 * to the named host and recording each tunnel it is asked for, so a test sees which calls went
 * through it and which were refused before it was asked.
 */
export async function startConnectProxy(opts: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const targets: string[] = [];
  const auths: (string | undefined)[] = [];
  const tunnels = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    auths.push(req.headers['proxy-authorization']);
    if (opts.requireAuth && req.headers['proxy-authorization'] !== opts.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    tunnels.add(client);
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host!.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      tunnels.delete(client);
      upstream.destroy();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    auths,
    close: async () => {
      for (const t of tunnels) t.destroy();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}
