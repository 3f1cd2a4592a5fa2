import { Queues } from '@datahub/proto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { checkEnv, checkHubWorkloads, checkProcessTable, HUB_PROCESSES } from './manifest.checks';
import { validateManifests } from './manifest.validate';
import { REPO_ROOT, renderKustomization, strategicMerge, type Manifest } from './kustomize.render';

const K8S = join(REPO_ROOT, 'deploy', 'k8s');
const rendered: Record<string, Manifest[]> = {
  base: renderKustomization(join(K8S, 'base')),
  dev: renderKustomization(join(K8S, 'overlays', 'dev')),
  prod: renderKustomization(join(K8S, 'overlays', 'prod')),
};
const find = (ms: Manifest[], kind: string, name: string) => {
  const m = ms.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`${kind}/${name} not rendered`);
  return m as Manifest & { spec: any }; // assertions walk arbitrary specs
};
const clone = <T>(v: T): T => structuredClone(v);
/** Trigger metadata the KEDA rabbitmq scaler reads (kedacore/keda pkg/scalers/rabbitmq_scaler.go @ 8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a). */
const RABBITMQ_SCALER_METADATA = ['queueName', 'mode', 'queueLength', 'value', 'activationValue', 'host', 'protocol', 'vhostName', 'useRegex', 'excludeUnacknowledged', 'pageSize', 'operation', 'timeout', 'unsafeSsl'];

describe('deploy/k8s (rendered offline, validated against the Kubernetes and CRD schemas)', () => {
  it('each process starts the way the checks below assume (role, port env var)', () => {
    expect(checkProcessTable()).toEqual([]);
  });

  it.each(Object.keys(rendered))('%s: every manifest validates against its schema', (name) => {
    expect(validateManifests(rendered[name], name)).toEqual([]);
  });

  it.each(Object.keys(rendered))('%s: each hub process has probes on the paths it serves, a PDB, non-root and resources', (name) => {
    expect(checkHubWorkloads(rendered[name])).toEqual([]);
  });

  it.each(Object.keys(rendered))('%s: every env name is one the package parses, and every ConfigMap key and secret it reads exists', (name) => {
    expect(checkEnv(rendered[name])).toEqual([]);
  });

  it('the overlays differ where they should: image, sizes, PostgreSQL standbys and RabbitMQ quorum', () => {
    const image = (ms: Manifest[]) => find(ms, 'Deployment', 'gateway').spec.template.spec.containers[0].image;
    expect(image(rendered.dev)).toBe('datahub/hub:dev');
    expect(image(rendered.prod)).toBe('registry.example.com/datahub/hub:0.1.0');
    expect(find(rendered.base, 'Cluster', 'hub-postgres').spec.instances).toBeGreaterThanOrEqual(2);
    const pg = find(rendered.prod, 'Cluster', 'hub-postgres').spec;
    expect(pg.instances).toBe(3);
    expect(pg.postgresql.synchronous).toMatchObject({ method: 'any', number: 1 });
    expect(pg.postgresql.parameters.max_connections).toBe('200'); // the patch merged, not replaced
    expect(find(rendered.prod, 'RabbitmqCluster', 'hub-rabbitmq').spec.replicas).toBe(3);
    expect(find(rendered.dev, 'ConfigMap', 'hub-config').data).toMatchObject({ LOG_LEVEL: 'debug', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger-collector:4318' });
    const devGatewayEnv = find(rendered.dev, 'Deployment', 'gateway').spec.template.spec.containers[0].env;
    expect(devGatewayEnv).toContainEqual({ name: 'HUB_GATEWAY_HOST', value: '0.0.0.0' });
    for (const ms of Object.values(rendered)) expect(ms.every((m) => m.kind === 'Namespace' || m.metadata.namespace === 'datahub')).toBe(true);
  });

  it('ingress scales on CPU (HPA) and the worker on the depth of hub.work and hub.bulk (KEDA)', () => {
    for (const ms of Object.values(rendered)) {
      expect(find(ms, 'HorizontalPodAutoscaler', 'ingress').spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'ingress' });
      const so = find(ms, 'ScaledObject', 'worker').spec;
      expect(so.scaleTargetRef.name).toBe('worker');
      expect(so.triggers.map((t: { metadata: { queueName: string } }) => t.metadata.queueName)).toEqual([Queues.work, Queues.bulk]);
      for (const t of so.triggers) {
        expect(t).toMatchObject({ type: 'rabbitmq', metadata: { mode: 'QueueLength' } });
        // The CRD types trigger metadata as a free map: check the names against the scaler's own.
        expect(Object.keys(t.metadata).filter((k) => !RABBITMQ_SCALER_METADATA.includes(k))).toEqual([]);
        find(ms, 'TriggerAuthentication', t.authenticationRef.name);
      }
      // The HPA and KEDA own these counts: a replicas field would fight them on every apply.
      expect(find(ms, 'Deployment', 'ingress').spec.replicas).toBeUndefined();
      expect(find(ms, 'Deployment', 'worker').spec.replicas).toBeUndefined();
    }
  });

  it('only the gateway accepts connections from outside; PostgreSQL and RabbitMQ only from their labelled clients', () => {
    const policies = rendered.prod.filter((m) => m.kind === 'NetworkPolicy') as (Manifest & { spec: any })[];
    expect(policies.find((p) => p.metadata.name === 'default-deny-ingress')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const open = policies.filter((p) => (p.spec.ingress ?? []).some((rule: { from?: unknown[] }) => !rule.from?.length));
    expect(open.map((p) => p.spec.podSelector)).toEqual([{ matchLabels: { 'app.kubernetes.io/component': 'gateway' } }]);
    const clientLabels = (m: Manifest) => find(rendered.prod, m.kind, m.metadata.name).spec.template.metadata.labels;
    for (const name of ['control-plane', 'ingress', 'worker', 'scheduler']) {
      expect(clientLabels(find(rendered.prod, 'Deployment', name))).toMatchObject({ 'datahub.io/postgres-client': 'true', 'datahub.io/rabbitmq-client': 'true' });
    }
    expect(clientLabels(find(rendered.prod, 'Deployment', 'gateway'))['datahub.io/postgres-client']).toBeUndefined();
  });

  it('Prometheus scrapes the annotated pods and loads the rule files of deploy/prometheus/rules', () => {
    const config = parse(find(rendered.prod, 'ConfigMap', 'prometheus-config').data['prometheus.yml']) as { rule_files: string[]; scrape_configs: { job_name: string }[] };
    const local = parse(readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as { rule_files: string[] };
    expect(config.rule_files.map((f) => basename(f))).toEqual(local.rule_files.map((f) => basename(f)));
    for (const f of config.rule_files) expect(existsSync(join(REPO_ROOT, 'deploy', 'prometheus', 'rules', basename(f)))).toBe(true);
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(['datahub-pods', 'rabbitmq']);
    for (const name of ['gateway', 'control-plane', 'ingress', 'worker', 'scheduler']) {
      const pod = find(rendered.prod, 'Deployment', name).spec.template;
      const port = Number(pod.metadata.annotations['prometheus.io/port']);
      expect(pod.spec.containers[0].ports.map((p: { containerPort: number }) => p.containerPort)).toContain(port);
    }
  });

  it('the migration job runs the control plane migrations with the database URL from CloudNativePG', () => {
    const c = find(rendered.prod, 'Job', 'migrate').spec.template.spec.containers[0];
    expect(c.command).toEqual(['node', 'control-plane/dist/migrate.js']);
    expect(c.env[0]).toEqual({ name: 'HUB_DATABASE_URL', valueFrom: { secretKeyRef: { name: 'hub-postgres-app', key: 'uri' } } });
  });
});

describe('the offline validation catches broken manifests', () => {
  const gateway = () => clone(find(rendered.base, 'Deployment', 'gateway'));

  it('a misspelt field of a built-in kind (readinesProbe)', () => {
    const d = gateway();
    d.spec.template.spec.containers[0].readinesProbe = d.spec.template.spec.containers[0].readinessProbe;
    delete d.spec.template.spec.containers[0].readinessProbe;
    const errors = validateManifests([d], 'test');
    expect(errors.join('\n')).toMatch(/Deployment\/gateway: .*'"readinesProbe"' does not exist in type 'IContainer'/);
  });

  it('a value of the wrong type, and a missing required field', () => {
    const d = gateway();
    d.spec.replicas = 'two';
    delete d.spec.template.spec.containers[0].name;
    const errors = validateManifests([d], 'test').join('\n');
    expect(errors).toMatch(/\/spec\/replicas must be integer/);
    expect(errors).toMatch(/\/spec\/template\/spec\/containers\/0 must have required property name/);
  });

  it('a misspelt field of a custom resource (RabbitmqCluster spec.replica) and a bad enum (CloudNativePG Cluster)', () => {
    const rabbit = clone(find(rendered.base, 'RabbitmqCluster', 'hub-rabbitmq'));
    rabbit.spec.replica = 3;
    const pg = clone(find(rendered.prod, 'Cluster', 'hub-postgres'));
    pg.spec.postgresql.synchronous.method = 'all';
    const errors = validateManifests([rabbit, pg], 'test').join('\n');
    expect(errors).toMatch(/RabbitmqCluster\/hub-rabbitmq: \/spec must NOT have additional properties \(replica\)/);
    expect(errors).toMatch(/Cluster\/hub-postgres: \/spec\/postgresql\/synchronous\/method must be equal to one of the allowed values/);
  });

  it('a process table that no longer matches the code: an unknown role, a port env var its start function does not use', () => {
    expect(checkProcessTable({
      scheduler: { ...HUB_PROCESSES.scheduler, portEnv: 'HUB_WORKER_HEALTH_PORT' },
      worker: { ...HUB_PROCESSES.worker, role: 'wrker' },
    })).toEqual([
      'scheduler: startScheduler does not listen on env.HUB_WORKER_HEALTH_PORT',
      "worker: data-plane/src/main.ts has no role 'wrker'",
    ]);
  });

  it('a kind with no schema is refused, not skipped', () => {
    expect(validateManifests([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }], 'test')).toEqual([
      'test Widget/w: no schema for example.com/v1/Widget (add it to deploy/src/k8s/manifest.validate.ts)',
    ]);
  });

  it('a missing probe, a probe on a path the process does not serve, and one on the wrong port', () => {
    const ms = clone(rendered.base);
    delete find(ms, 'Deployment', 'gateway').spec.template.spec.containers[0].livenessProbe;
    find(ms, 'Deployment', 'ingress').spec.template.spec.containers[0].readinessProbe.httpGet.path = '/ready';
    find(ms, 'Deployment', 'worker').spec.template.spec.containers[0].livenessProbe.httpGet.port = 8081;
    expect(checkHubWorkloads(ms)).toEqual([
      'Deployment/gateway: no HTTP livenessProbe',
      'Deployment/ingress: readinessProbe path /ready is not served by data-plane/src/ingress/ingress.server.ts',
      'Deployment/worker: livenessProbe port 8081 is not the port it listens on (HUB_WORKER_HEALTH_PORT=8082)',
    ]);
  });

  it('a hub process started without the node flags npm start gives it (deploy/src/local/service.flags.ts)', () => {
    const ms = clone(rendered.base);
    const gateway = find(ms, 'Deployment', 'gateway').spec.template.spec.containers[0];
    gateway.command = ['node', 'gateway/dist/main.js'];
    const worker = find(ms, 'Deployment', 'worker').spec.template.spec.containers[0];
    worker.command = ['node', 'data-plane/dist/main.js', 'worker'];
    expect(checkHubWorkloads(ms)).toEqual([
      'Deployment/gateway: node flags [] are not ["--max-semi-space-size=2"] (deploy/src/local/service.flags.ts)',
      'Deployment/worker: node flags [] are not ["--max-semi-space-size=32"] (deploy/src/local/service.flags.ts)',
    ]);
  });

  it('an env name no package parses, and a reference to a ConfigMap key nobody defines', () => {
    const ms = clone(rendered.base);
    const env = find(ms, 'Deployment', 'worker').spec.template.spec.containers[0].env;
    env.push({ name: 'HUB_WORKER_PREFECTH', value: '10' });
    env.push({ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'hub-config', key: 'LOG_LEVLE' } } });
    const errors = checkEnv(ms);
    expect(errors).toContain('Deployment/worker container worker: HUB_WORKER_PREFECTH is not parsed by data-plane/src/env.ts');
    expect(errors).toContain('Deployment/worker container worker: LOG_LEVEL reads ConfigMap hub-config key LOG_LEVLE, which is not defined');
  });
});

describe('the kustomize subset used by the tests', () => {
  it('merges lists of containers and env by name, maps recursively, and replaces other lists', () => {
    const base = { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], args: ['p', 'q'] }] };
    const patch = { containers: [{ name: 'a', env: [{ name: 'Y', value: '3' }], args: ['r'] }] };
    expect(strategicMerge(base, patch, '')).toEqual({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '3' }], args: ['r'] }] });
  });
});
