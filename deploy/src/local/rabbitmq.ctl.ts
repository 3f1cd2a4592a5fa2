// Talking to a RabbitMQ node with rabbitmqctl: any node whose name and cookie HOME we know.
import { join } from 'node:path';
import type { RabbitTarget } from '../env';
import { run, toolEnv } from './process.util';

export const RABBIT_BIN = '/usr/lib/rabbitmq/bin';
/** Erlang distribution on loopback only, for nodes and for rabbitmqctl's own hidden node. */
export const LOOPBACK_DIST = '-kernel inet_dist_use_interface {127,0,0,1}';

function ctlEnv(home: string): NodeJS.ProcessEnv {
  return toolEnv({
    HOME: home,
    // not /etc/rabbitmq/rabbitmq-env.conf
    RABBITMQ_CONF_ENV_FILE: '/dev/null',
    // rabbitmqctl's own hidden node: any free port on loopback, not the shared 35672-35682 range
    RABBITMQ_CTL_DIST_PORT_MIN: '0',
    RABBITMQ_CTL_DIST_PORT_MAX: '0',
    RABBITMQ_CTL_ERL_ARGS: LOOPBACK_DIST,
  });
}

/** Runs `rabbitmqctl -n <node> ...args` with the node's HOME (its Erlang cookie). */
export function rabbitCtl(target: RabbitTarget, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return run(join(RABBIT_BIN, 'rabbitmqctl'), ['-n', target.nodeName, ...args], {
    env: ctlEnv(target.home),
    cwd: target.home,
    timeoutMs,
  });
}

/** The AMQP URL of `vhost` on the broker behind amqpUrl. */
export function amqpUrlForVhost(amqpUrl: string, vhost: string): string {
  const url = new URL(amqpUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

function checkVhostName(name: string): void {
  if (!name || name.startsWith('-')) throw new Error(`invalid vhost name ${JSON.stringify(name)}`);
}

/** Adds a vhost on a node reachable with rabbitmqctl and grants `user` full permissions on it. */
export async function addVhostVia(target: RabbitTarget, amqpUrl: string, name: string): Promise<string> {
  checkVhostName(name);
  const user = decodeURIComponent(new URL(amqpUrl).username) || 'guest';
  await rabbitCtl(target, ['-q', 'add_vhost', name]);
  await rabbitCtl(target, ['-q', 'set_permissions', '-p', name, user, '.*', '.*', '.*']);
  return amqpUrlForVhost(amqpUrl, name);
}

export async function deleteVhostVia(target: RabbitTarget, name: string): Promise<void> {
  checkVhostName(name);
  await rabbitCtl(target, ['-q', 'delete_vhost', name]);
}
