import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envNamesOf, flagErrors, HUB_PROCESSES, packageOf } from './manifest.checks';
import { REPO_ROOT } from './kustomize.render';

const DIR = join(REPO_ROOT, 'deploy', 'compose');
type Service = {
  image?: string; build?: { context: string; dockerfile: string }; command?: string[]; environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>; ports?: string[]; volumes?: string[]; healthcheck?: { test: string[] };
};
const load = () => parse(readFileSync(join(DIR, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const compose = load();
// The Compose Specification's own JSON schema, bundled (its $comment names the source commit).
const composeSchema = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false })
  .compile(JSON.parse(readFileSync(join(DIR, 'schema', 'compose-spec.json'), 'utf8')) as object);
const schemaErrors = (doc: unknown) => (composeSchema(doc) ? [] : (composeSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}${'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`));
const hubServices = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('datahub/hub'));

/** The errors a reader of the compose file would hit at `docker compose up` (or later, in a container's log). */
function composeErrors(services: Record<string, Service>): string[] {
  const errors: string[] = [];
  for (const [name, s] of Object.entries(services)) {
    if (!s.image) errors.push(`${name}: no image`);
    for (const dep of Object.keys(s.depends_on ?? {})) if (!services[dep]) errors.push(`${name}: depends on ${dep}, which is not a service`);
    if (!s.image?.startsWith('datahub/hub')) continue;
    const proc = packageOf(s.command ?? []);
    if (!proc) {
      errors.push(`${name}: command ${JSON.stringify(s.command)} is not \`node <package>/dist/<entry>.js\``);
      continue;
    }
    for (const file of [proc.entry, ...proc.preloads]) if (!existsSync(join(REPO_ROOT, file))) errors.push(`${name}: runs ${file}, which does not exist`);
    if (HUB_PROCESSES[name]) errors.push(...flagErrors(name, s.command));
    for (const env of Object.keys(s.environment ?? {})) {
      if (!envNamesOf(proc.pkg).has(env)) errors.push(`${name}: ${env} is not parsed by ${proc.pkg}/src/env.ts`);
    }
    if (!s.build || !existsSync(join(DIR, s.build.context, s.build.dockerfile))) errors.push(`${name}: builds from a Dockerfile that does not exist`);
  }
  return errors;
}

describe('deploy/compose', () => {
  it('validates against the Compose Specification schema (anchors and merge keys resolved)', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('every service has an image; every hub service runs an existing entry point with env names its package parses', () => {
    expect(hubServices.map(([name]) => name).sort()).toEqual(['control-plane', 'demo', 'gateway', 'ingress', 'migrate', 'scheduler', 'worker']);
    expect(composeErrors(compose.services)).toEqual([]);
  });

  it('runs the whole stack: PostgreSQL and RabbitMQ, migrations before the planes, emulators, Jaeger and Prometheus', () => {
    const s = compose.services;
    for (const name of ['postgres', 'rabbitmq', 'jaeger', 'prometheus']) expect(s[name]).toBeDefined();
    for (const name of ['control-plane', 'ingress', 'worker', 'scheduler']) {
      expect(s[name].depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, rabbitmq: { condition: 'service_healthy' } });
    }
    expect(s.migrate.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    expect(s.gateway.ports).toContain('8080:8080');
    expect(s.jaeger.ports).toContain('16686:16686');
    // Every process exports its spans to Jaeger's OTLP/HTTP receiver.
    for (const name of ['gateway', 'control-plane', 'ingress', 'worker', 'scheduler']) expect(s[name].environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    // The hub reaches the demo's plain-http emulators only because they are allowed by name.
    expect(s.worker.environment?.HUB_OUTBOUND_ALLOW_HOSTS).toBe(s.demo.environment?.HUB_DEMO_EMULATOR_HOST);
    expect(s.demo.environment?.HUB_OPERATOR_TOKENS).toBe(s['control-plane'].environment?.HUB_OPERATOR_TOKENS);
  });

  it('health checks and Prometheus targets use the ports and paths each process serves', () => {
    const s = compose.services;
    const prom = parse(readFileSync(join(DIR, 'prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = prom.scrape_configs.find((j) => j.job_name === 'datahub')!.static_configs.flatMap((c) => c.targets);
    expect(targets.map((t) => t.split(':')[0]).sort()).toEqual(Object.keys(HUB_PROCESSES).sort());
    for (const target of targets) {
      const [name, port] = target.split(':');
      expect(s[name].environment?.[HUB_PROCESSES[name].portEnv]).toBe(port);
      const probe = s[name].healthcheck?.test.join(' ') ?? '';
      const path = /127\.0\.0\.1:(\d+)(\/[a-z]+)/.exec(probe);
      if (name === 'scheduler') continue; // no depends_on waits on it
      expect(path?.[1]).toBe(port);
      expect(readFileSync(join(REPO_ROOT, HUB_PROCESSES[name].servedBy), 'utf8')).toContain(`'${path?.[2]}'`);
    }
  });

  it('Prometheus loads the recording and alert rules of deploy/prometheus/rules (and not promtool\'s test file)', () => {
    const prom = parse(readFileSync(join(DIR, 'prometheus.yml'), 'utf8')) as { rule_files: string[] };
    const mount = compose.services.prometheus.volumes?.find((v) => v.endsWith(':/etc/prometheus/rules:ro'));
    const hostDir = join(DIR, mount!.split(':')[0]);
    const local = parse(readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as { rule_files: string[] };
    // The same rule files the local stack's Prometheus loads (deploy/prometheus/prometheus.yml).
    expect(prom.rule_files.map((f) => f.replace('/etc/prometheus/rules/', ''))).toEqual(local.rule_files.map((f) => f.replace('rules/', '')));
    for (const f of prom.rule_files) expect(existsSync(join(hostDir, f.replace('/etc/prometheus/rules/', '')))).toBe(true);
  });

  it('the Dockerfile copies the package.json of every workspace before npm ci', () => {
    const dockerfile = readFileSync(join(DIR, 'Dockerfile'), 'utf8');
    const workspaces = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const ci = dockerfile.indexOf('RUN npm ci');
    for (const w of workspaces) {
      const at = dockerfile.indexOf(`COPY ${w}/package.json ${w}/`);
      expect({ workspace: w, copiedBeforeInstall: at >= 0 && at < ci }).toEqual({ workspace: w, copiedBeforeInstall: true });
    }
  });

  it('the schema catches a misspelt key and a value of the wrong shape', () => {
    const broken = load() as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.gateway.helthcheck = broken.services.gateway.healthcheck;
    broken.services.jaeger.ports = '16686:16686';
    expect(schemaErrors(broken)).toEqual(expect.arrayContaining([
      '/services/gateway must NOT have additional properties (helthcheck)',
      '/services/jaeger/ports must be array',
    ]));
  });

  it('catches a misspelt env name, a missing entry point, a dangling depends_on and node flags other than npm start\'s', () => {
    const broken = load().services;
    broken.ingress.command = ['node', 'data-plane/dist/main.js', 'ingress'];
    broken.worker.environment!.HUB_WORKER_HEALTHPORT = '8082';
    broken.scheduler.command = ['node', 'data-plane/dist/mian.js', 'scheduler'];
    broken.gateway.depends_on = { 'control-plane': { condition: 'service_healthy' }, ingres: { condition: 'service_healthy' } };
    expect(composeErrors(broken)).toEqual([
      'ingress: node flags [] are not ["--max-semi-space-size=4"] (deploy/src/local/service.flags.ts)',
      'worker: HUB_WORKER_HEALTHPORT is not parsed by data-plane/src/env.ts',
      'scheduler: runs data-plane/src/mian.ts, which does not exist',
      'gateway: depends on ingres, which is not a service',
    ]);
  });
});
