import 'reflect-metadata';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { readBodyUpTo, assertOutboundUrl, WebhookSender, operatorEgressProxy, type EgressProxy, BrokerConnection, contextFrom, httpMetrics, serveMetrics, ConfirmedPublisher, ConnectorClient, CredentialVault, OAuth2TokenCache, connectorRegistry, parseAllowHosts, parseKeyring, vaultRefresher } from '@datahub/connectors';
import { context as otelContext } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { ApiTokenService } from './auth/api-token.service';
import { AmqpConfigBus } from './bus/config.publisher';
import { Exchanges } from '@datahub/proto';
import { DeadLetterReplayer } from './deliveries/dead-letter.replay';
import { RequestContext } from './common/context';
import { DomainError } from './common/errors';
import { errorReporting } from './common/error.reporting';
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from './common/guard/query.limits';
import { rateLimitedError, TokenRateLimiter } from './common/guard/rate.limiter';
import { Idempotency } from './common/idempotency';
import type { Services } from './common/services';
import { BulkService } from './bulk/bulk.service';
import { CredentialService } from './credentials/credential.service';
import { openDatabase } from './db/data-source';
import { DeliveryService } from './deliveries/delivery.service';
import type { ControlPlaneEnv } from './env';
import { InboundKeyService } from './ingress-keys/inbound-key.service';
import { InboundSignatureService } from './ingress-keys/inbound-signature.service';
import { logger } from './logger';
import { telemetryPlugin } from './common/telemetry.plugin';
import { buildHubSchema } from './schema';
import { SyncService } from './syncs/sync.service';
import { SyncValidator } from './syncs/sync.validate';
import { TenantService } from './tenants/tenant.service';
import { TemplateService } from './templates/template.service';
import { TargetService } from './targets/target.service';
import { AmqpSandboxRunner, type SandboxRunner } from './sandbox/sandbox.rpc';
import { SandboxService } from './sandbox/sandbox.service';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { TriggerInstallService } from './triggers/trigger-install.service';
import { UsageService } from './usage/usage.service';
import { UsageSettingsService } from './usage/usage-settings.service';
import { DeliveryLogService } from './deliveries/delivery-log.service';
import { DestinationService } from './destinations/destination.service';
import { EventTypeService } from './events/event-type.service';

const MAX_BODY_BYTES = 1_000_000;

export interface ControlPlane {
  url: string;
  port: number;
  ds: DataSource;
  close(): Promise<void>;
}

export function buildServices(env: ControlPlaneEnv, ds: DataSource, amqp: ConfirmedPublisher, sandboxRunner: SandboxRunner): Services {
  const bus = new AmqpConfigBus(amqp, (msg, err) => logger.error({ err }, msg));
  const allowHosts = parseAllowHosts(env.HUB_OUTBOUND_ALLOW_HOSTS);
  const keyring = parseKeyring(env.HUB_MASTER_KEYS);
  const tokens = new ApiTokenService(ds, env.HUB_OPERATOR_TOKENS.split(',').map((t) => t.trim()));
  const validator = new SyncValidator(connectorRegistry(), allowHosts);
  const sandbox = new SandboxService(sandboxRunner, validator, env.HUB_SANDBOX_RUNS_KEPT);
  const syncs = new SyncService(validator, bus, sandbox);
  const targets = new TargetService();
  const usage = new UsageService(targets);
  const idempotency = new Idempotency(keyring);
  const client = testClient(ds, keyring, allowHosts, operatorEgressProxy(env.HUB_EGRESS_PROXY_URL, allowHosts));
  const inboundKeys = new InboundKeyService(bus, env.HUB_PUBLIC_URL);
  return {
    tokens,
    tenants: new TenantService(ds, tokens, validator, bus, allowHosts),
    credentials: new CredentialService(keyring, allowHosts, client, bus, validator),
    syncs,
    templates: new TemplateService(syncs, validator),
    inboundKeys,
    triggers: new TriggerInstallService(client, inboundKeys),
    inboundSignatures: new InboundSignatureService(keyring, bus),
    deliveries: new DeliveryService(env.HUB_TRACE_URL_TEMPLATE),
    replays: new DeadLetterReplayer(amqp),
    idempotency,
    targets,
    sandbox,
    lifecycle: new LifecycleService(bus),
    usage,
    usageSettings: new UsageSettingsService(usage, bus),
    deliveryLog: new DeliveryLogService(),
    bulk: new BulkService(connectorRegistry()),
    destinations: new DestinationService(keyring, allowHosts, bus, new WebhookSender(allowHosts, 10_000, operatorEgressProxy(env.HUB_EGRESS_PROXY_URL, allowHosts))),
    eventTypes: new EventTypeService(amqp, bus, idempotency),
  };
}

/** The connector client testCredential calls with: same signing and SSRF policy as the worker. */
function testClient(ds: DataSource, keyring: ReturnType<typeof parseKeyring>, allowHosts: Set<string>, proxy: EgressProxy | undefined): ConnectorClient {
  const vault = new CredentialVault(keyring, (sql, params) => ds.query(sql, params), (fn) => ds.transaction((m) => fn((sql, params) => m.query(sql, params))));
  const refresher = vaultRefresher(vault, (url) => assertOutboundUrl(url, allowHosts));
  return new ConnectorClient((id) => vault.load(id), new OAuth2TokenCache(), allowHosts, 10_000, refresher, undefined, proxy);
}

/** Starts the GraphQL control plane: migrates the database, then serves /graphql and /healthz. */
export async function startControlPlane(env: ControlPlaneEnv): Promise<ControlPlane> {
  const ds = await openDatabase(env.HUB_DATABASE_URL);
  // The same broker connection the data plane uses, opened on first use: the control plane only
  // announces changes (ConfigChanged) and replays dead letters, and runs without a broker otherwise.
  const broker = new BrokerConnection(env.HUB_AMQP_URL, async (ch) => {
    await ch.assertExchange(Exchanges.config, 'fanout', { durable: true });
    await ch.assertExchange(Exchanges.events, 'direct', { durable: true });
    await sandboxRunner.attach(ch);
  }, 'control-plane', logger);
  const publisher = new ConfirmedPublisher(broker, 5_000, true);
  const sandboxRunner = new AmqpSandboxRunner(publisher, env.HUB_SANDBOX_TIMEOUT_MS);
  const services = buildServices(env, ds, publisher, sandboxRunner);
  const limiter = new TokenRateLimiter(ds, { ratePerSec: env.HUB_GRAPHQL_RATE_PER_SEC, burst: env.HUB_GRAPHQL_RATE_BURST },
    (err) => logger.warn({ err }, 'GraphQL rate limit unavailable (database); letting the request through'));
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildHubSchema(),
    introspection: env.HUB_GRAPHQL_INTROSPECTION === 'true',
    validationRules: queryLimitRules(DEFAULT_QUERY_LIMITS),
    ...errorReporting(env, (e) => logger.error({ err: e }, 'unexpected error in a resolver')),
    // No cache hints are given, so its only effect was a wrapper around every field's resolver.
    plugins: [ApolloServerPluginCacheControlDisabled(), telemetryPlugin()],
  });
  await apollo.start();

  const http = httpMetrics('control-plane');
  const server = createServer((req, res) => {
    const started = performance.now();
    res.once('finish', () => http.observe(routeLabel(req.url), res.statusCode, (performance.now() - started) / 1000));
    if (serveMetrics(req, res, 'control-plane')) return;
    // The gateway's traceparent: this request's GraphQL span is the child of its span.
    otelContext.with(contextFrom(req.headers as Record<string, unknown>), () => handle(req, res)).catch((err) => {
      logger.error({ err }, 'request failed');
      if (!res.headersSent) send(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = String(req.headers['x-request-id'] ?? randomUUID());
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (url.pathname !== '/graphql') return send(res, 404, { error: { code: 'NOT_FOUND', message: 'Try /graphql' } });
    const raw = await readBody(req);
    if (raw === null) return send(res, 413, { errors: [{ message: `Request body over ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] });
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let body: unknown = raw;
    if ((req.headers['content-type'] ?? '').includes('application/json') && raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        let principal;
        try {
          principal = await services.tokens.authenticate(req.headers.authorization);
        } catch (e) {
          if (e instanceof DomainError) throw new GraphQLError(e.message, { extensions: { code: e.code, http: { status: 401 } } });
          throw e;
        }
        // Keyed by the authenticated token id only, so a client cannot grow the limiter's memory.
        if (principal?.kind === 'tenant') {
          const taken = await limiter.take(principal.tokenId);
          if (!taken.ok) throw rateLimitedError(taken.retryAfterMs);
        }
        return new RequestContext(principal, ds, services, requestId);
      },
    });
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') return void res.end(result.body.string);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(env.HUB_CONTROL_PLANE_PORT, env.HUB_CONTROL_PLANE_HOST, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${env.HUB_CONTROL_PLANE_HOST}:${port}/graphql`,
    port,
    ds,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await apollo.stop();
      await broker.close();
      await services.destinations.close();
      await ds.destroy();
    },
  };
}

function routeLabel(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!;
  return path === '/graphql' || path === '/healthz' ? path : 'other';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const body = await readBodyUpTo(req, MAX_BODY_BYTES);
  return body && body.toString('utf8');
}
