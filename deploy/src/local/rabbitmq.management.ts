// Vhosts on an external broker (HUB_AMQP_URL) through its management plugin's HTTP API,
// for test isolation where rabbitmqctl cannot reach the node.
import { amqpUrlForVhost } from './rabbitmq.ctl';

async function management(api: string, method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const base = new URL(api);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`);
  base.username = '';
  base.password = '';
  const url = new URL(`api/${path}`, base.toString().replace(/\/?$/, '/'));
  const response = await fetch(url, {
    method,
    headers: { authorization: `Basic ${auth.toString('base64')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`RabbitMQ management ${method} ${url.pathname}: ${response.status} ${await response.text()}`);
  }
}

/** Adds a vhost over the management API and grants the AMQP URL's user full permissions on it. */
export async function addVhostOverHttp(api: string, amqpUrl: string, name: string): Promise<string> {
  const user = decodeURIComponent(new URL(amqpUrl).username) || 'guest';
  const vhost = encodeURIComponent(name);
  await management(api, 'PUT', `vhosts/${vhost}`);
  await management(api, 'PUT', `permissions/${vhost}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  return amqpUrlForVhost(amqpUrl, name);
}

export function deleteVhostOverHttp(api: string, name: string): Promise<void> {
  return management(api, 'DELETE', `vhosts/${encodeURIComponent(name)}`);
}
