/**
 * The ceiling for the ingress benchmark: a bare node:http server that does nothing but a
 * confirmed, mandatory publish per request to the same exchange on the same broker.
 * Run as its own process: `node bench/dist/bare-publish.server.js` with HUB_AMQP_URL and PORT.
 */
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Exchanges, RoutingKeys } from '@datahub/proto';
import { benchEnv } from './env';

async function main(): Promise<void> {
  const conn = await amqp.connect(benchEnv.HUB_AMQP_URL!);
  const ch = await conn.createConfirmChannel();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = randomUUID();
      ch.publish(Exchanges.events, RoutingKeys.work, Buffer.from(id), { persistent: true, mandatory: true, messageId: id }, (err) => {
        res.writeHead(err ? 503 : 202, { 'content-type': 'application/json' }).end(JSON.stringify({ eventId: id }));
      });
    });
  });
  server.listen(benchEnv.PORT, '127.0.0.1', () => {
    console.log(JSON.stringify({ listening: (server.address() as AddressInfo).port }));
  });
  process.once('SIGTERM', () => void conn.close().finally(() => process.exit(0)));
}

void main();
