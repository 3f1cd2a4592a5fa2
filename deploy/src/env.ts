// The only place in the deploy workspace that reads (or, for jest workers, writes) process.env.

export interface RabbitTarget {
  /** Erlang node name, e.g. `hubtest-3f9a1c@localhost`. */
  nodeName: string;
  /** HOME holding the node's `.erlang.cookie`; rabbitmqctl must run with it. */
  home: string;
}

export interface TestInfra {
  /** Admin URL of a server where tests may create and drop databases. */
  pgAdminUrl: string;
  /** AMQP URL of the broker's default vhost. */
  amqpUrl: string;
  /** Set when the broker is a local throwaway node: vhosts are added with rabbitmqctl. */
  rabbit?: RabbitTarget;
  /** Set for an external broker with the management plugin: vhosts are added over its HTTP API. */
  rabbitManagementUrl?: string;
}

export interface DeployEnv {
  /** An existing Postgres to use instead of starting one. */
  databaseUrl?: string;
  /** An existing RabbitMQ to use instead of starting one. */
  amqpUrl?: string;
  /** Management API of the external broker (`http://user:pass@host:15672`), for test vhosts. */
  rabbitManagementUrl?: string;
  /** Echo the throwaway servers' own log lines to stderr. */
  localLog: boolean;
  /** What the integration globalSetup handed to the jest workers, if it ran. */
  test?: TestInfra;
}

const NAMES = {
  databaseUrl: 'HUB_DATABASE_URL',
  amqpUrl: 'HUB_AMQP_URL',
  rabbitManagementUrl: 'HUB_RABBIT_MANAGEMENT_URL',
  localLog: 'HUB_LOCAL_LOG',
  testPgAdminUrl: 'HUB_TEST_PG_ADMIN_URL',
  testAmqpUrl: 'HUB_TEST_AMQP_URL',
  testRabbitNode: 'HUB_TEST_RABBIT_NODE',
  testRabbitHome: 'HUB_TEST_RABBIT_HOME',
  testRabbitManagementUrl: 'HUB_TEST_RABBIT_MANAGEMENT_URL',
} as const;

type Source = Readonly<Record<string, string | undefined>>;

function url(source: Source, name: string, protocols: readonly string[]): string | undefined {
  const raw = source[name]?.trim();
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new Error(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

const PG = ['postgres:', 'postgresql:'] as const;
const AMQP = ['amqp:', 'amqps:'] as const;
const HTTP = ['http:', 'https:'] as const;

/**
 * The environment a launched child process starts from (PATH, HOME, locale, …): handed on as it
 * is, not parsed here; each hub process parses what it needs in its own env.ts.
 */
export function inheritedEnv(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...source };
}

/** The gateway port `npm start` serves on (HUB_GATEWAY_PORT, default 8080). */
export function launcherGatewayPort(source: Source = process.env): number {
  const port = Number(source.HUB_GATEWAY_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`HUB_GATEWAY_PORT must be a port number, got ${source.HUB_GATEWAY_PORT}`);
  return port;
}

export function readDeployEnv(source: Source = process.env): DeployEnv {
  const pgAdminUrl = url(source, NAMES.testPgAdminUrl, PG);
  const testAmqpUrl = url(source, NAMES.testAmqpUrl, AMQP);
  const nodeName = source[NAMES.testRabbitNode]?.trim();
  const home = source[NAMES.testRabbitHome]?.trim();
  if (Boolean(nodeName) !== Boolean(home)) {
    throw new Error(`${NAMES.testRabbitNode} and ${NAMES.testRabbitHome} must be set together`);
  }
  return {
    databaseUrl: url(source, NAMES.databaseUrl, PG),
    amqpUrl: url(source, NAMES.amqpUrl, AMQP),
    rabbitManagementUrl: url(source, NAMES.rabbitManagementUrl, HTTP),
    localLog: ['1', 'true', 'yes'].includes((source[NAMES.localLog] ?? '').toLowerCase()),
    test:
      pgAdminUrl && testAmqpUrl
        ? {
            pgAdminUrl,
            amqpUrl: testAmqpUrl,
            rabbit: nodeName && home ? { nodeName, home } : undefined,
            rabbitManagementUrl: url(source, NAMES.testRabbitManagementUrl, HTTP),
          }
        : undefined,
  };
}

/** The variables globalSetup exports so that jest workers (which inherit them) find the servers. */
export function testInfraVars(infra: TestInfra): Record<string, string> {
  const vars: Record<string, string> = {
    [NAMES.testPgAdminUrl]: infra.pgAdminUrl,
    [NAMES.testAmqpUrl]: infra.amqpUrl,
  };
  if (infra.rabbit) {
    vars[NAMES.testRabbitNode] = infra.rabbit.nodeName;
    vars[NAMES.testRabbitHome] = infra.rabbit.home;
  }
  if (infra.rabbitManagementUrl) vars[NAMES.testRabbitManagementUrl] = infra.rabbitManagementUrl;
  return vars;
}

/** Called by globalSetup only: workers are forked after it and inherit the variables. */
export function exportTestInfra(infra: TestInfra): void {
  Object.assign(process.env, testInfraVars(infra));
}

export function requireTestInfra(env: DeployEnv = readDeployEnv()): TestInfra {
  if (!env.test) {
    throw new Error(
      `${NAMES.testPgAdminUrl} / ${NAMES.testAmqpUrl} are not set: run integration tests through ` +
        'jest --selectProjects integration (its globalSetup, deploy/src/test/global-setup.ts, sets them)',
    );
  }
  return env.test;
}

/** What `demo.compose` (the compose file's `demo` service) needs: where the hub is and how it reaches the emulators. */
export interface ComposeDemoEnv {
  /** The gateway inside the compose network, e.g. http://gateway:8080. */
  gatewayUrl: string;
  /** The first of HUB_OPERATOR_TOKENS (the same secret the control plane is given). */
  operatorToken: string;
  /** The name the hub's containers reach this one by (the compose service name), e.g. `demo`. */
  emulatorHost: string;
  blueconicPort: number;
  copernicaPort: number;
}

export function readComposeDemoEnv(source: Source = process.env): ComposeDemoEnv {
  const gatewayUrl = url(source, 'HUB_DEMO_GATEWAY_URL', HTTP);
  const operatorToken = (source.HUB_OPERATOR_TOKENS ?? '').split(',')[0]?.trim();
  const emulatorHost = source.HUB_DEMO_EMULATOR_HOST?.trim();
  if (!gatewayUrl || !operatorToken || !emulatorHost) throw new Error('HUB_DEMO_GATEWAY_URL, HUB_OPERATOR_TOKENS and HUB_DEMO_EMULATOR_HOST must be set');
  const port = (name: string, fallback: number) => {
    const n = Number(source[name] ?? fallback);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number`);
    return n;
  };
  return { gatewayUrl, operatorToken, emulatorHost, blueconicPort: port('EMU_BLUECONIC_PORT', 9101), copernicaPort: port('EMU_COPERNICA_PORT', 9102) };
}
