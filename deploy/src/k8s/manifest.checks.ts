// What deploy/k8s and deploy/compose must say about the hub's own processes, beyond their schemas:
// the command each runs, the env names its package really parses, probes on the paths and ports
// the process serves. Each check returns readable errors (empty when fine) so a test can both
// assert a clean deployment and show that a broken one is caught.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '../local/service.flags';
import { REPO_ROOT, type Manifest } from './kustomize.render';

/**
 * A hub process: the package (and role) its command starts, the file that serves its probes, the
 * env var naming its port, and the function (in `startedIn`) that listens on it.
 */
export interface HubProcess { pkg: string; role?: string; servedBy: string; portEnv: string; startedIn: string; start: string }

/** `node <pkg>/dist/main.js [role]` → what that process is. */
export const HUB_PROCESSES: Record<string, HubProcess> = {
  gateway: { pkg: 'gateway', servedBy: 'gateway/src/gateway.server.ts', portEnv: 'HUB_GATEWAY_PORT', startedIn: 'gateway/src/gateway.server.ts', start: 'startGateway' },
  'control-plane': { pkg: 'control-plane', servedBy: 'control-plane/src/server.ts', portEnv: 'HUB_CONTROL_PLANE_PORT', startedIn: 'control-plane/src/server.ts', start: 'startControlPlane' },
  ingress: { pkg: 'data-plane', role: 'ingress', servedBy: 'data-plane/src/ingress/ingress.server.ts', portEnv: 'HUB_INGRESS_PORT', startedIn: 'data-plane/src/data-plane.ts', start: 'startIngress' },
  worker: { pkg: 'data-plane', role: 'worker', servedBy: 'data-plane/src/health.server.ts', portEnv: 'HUB_WORKER_HEALTH_PORT', startedIn: 'data-plane/src/data-plane.ts', start: 'startWorker' },
  scheduler: { pkg: 'data-plane', role: 'scheduler', servedBy: 'data-plane/src/health.server.ts', portEnv: 'HUB_SCHEDULER_HEALTH_PORT', startedIn: 'data-plane/src/data-plane.ts', start: 'startScheduler' },
};

/** The table above still matches the code: the role is one main.ts knows, and the start function listens on `env.<portEnv>`. */
export function checkProcessTable(table: Record<string, HubProcess> = HUB_PROCESSES): string[] {
  const errors: string[] = [];
  for (const [name, p] of Object.entries(table)) {
    const main = readFileSync(join(REPO_ROOT, p.pkg, 'src', 'main.ts'), 'utf8');
    if (p.role && !main.includes(`'${p.role}'`)) errors.push(`${name}: ${p.pkg}/src/main.ts has no role '${p.role}'`);
    const source = readFileSync(join(REPO_ROOT, p.startedIn), 'utf8');
    const at = source.indexOf(`export async function ${p.start}(`);
    const next = source.indexOf('\nexport ', at + 1);
    const body = at < 0 ? '' : source.slice(at, next < 0 ? undefined : next);
    if (!body) errors.push(`${name}: ${p.startedIn} has no ${p.start}`);
    else if (!body.includes(`env.${p.portEnv}`)) errors.push(`${name}: ${p.start} does not listen on env.${p.portEnv}`);
  }
  return errors;
}

/**
 * Which package a command runs and the source files it loads: `node [--flag=…] [--require <pkg>/dist/x.js]
 * <pkg>/dist/<entry>.js [role]` → the package, `<pkg>/src/<entry>.ts`, the preloaded sources, the
 * other node flags, the role.
 */
export function packageOf(command: string[]): { pkg: string; entry: string; preloads: string[]; flags: string[]; role?: string } | null {
  const preloads: string[] = [];
  const flags: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < command.length; i++) {
    if (command[i] === '--require' || command[i] === '-r') preloads.push(sourceOf(command[++i] ?? ''));
    else if (rest.length === 1 && command[i].startsWith('-')) flags.push(command[i]);
    else rest.push(command[i]);
  }
  const [bin, script, role] = rest;
  const m = bin === 'node' && script ? /^([a-z-]+)\/dist\/(.+)\.js$/.exec(script) : null;
  return m ? { pkg: m[1], entry: `${m[1]}/src/${m[2]}.ts`, preloads, flags, role } : null;
}

/** The node flags a hub process's command must carry: the same list `npm start` and the harness use. */
export function flagErrors(service: string, command: string[] | undefined, label = service): string[] {
  const want = SERVICE_NODE_FLAGS[service as keyof typeof SERVICE_NODE_FLAGS] ?? [];
  const got = packageOf(command ?? [])?.flags ?? [];
  return got.join(' ') === want.join(' ') ? [] : [`${label}: node flags ${JSON.stringify(got)} are not ${JSON.stringify(want)} (deploy/src/local/service.flags.ts)`];
}

const sourceOf = (dist: string) => dist.replace('/dist/', '/src/').replace(/\.js$/, '.ts');

const NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
const envNameCache = new Map<string, Set<string>>();

/**
 * Every variable name a package's env.ts mentions (the names it parses), including the shared
 * shapes it spreads in (`...telemetryEnvShape` from connectors/src/telemetry/telemetry.env.ts).
 */
export function envNamesOf(pkg: string): Set<string> {
  let names = envNameCache.get(pkg);
  if (!names) {
    const file = join(REPO_ROOT, pkg, 'src', 'env.ts');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const shared = [...text.matchAll(/\.\.\.(\w+EnvShape)\b/g)].map((m) => sharedEnvShapes().get(m[1]) ?? `(${m[1]} not found in connectors/src)`);
    names = new Set([text, ...shared].flatMap((t) => t.match(NAME) ?? []));
    envNameCache.set(pkg, names);
  }
  return names;
}

/** `export const <x>EnvShape` in connectors/src/**\/*.env.ts → that file's text. */
function sharedEnvShapes(): Map<string, string> {
  const shapes = new Map<string, string>();
  const root = join(REPO_ROOT, 'connectors', 'src');
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.env.ts')) continue;
    const text = readFileSync(join(root, entry), 'utf8');
    for (const m of text.matchAll(/export const (\w+EnvShape)\b/g)) shapes.set(m[1], text);
  }
  return shapes;
}

type Container = {
  name: string; image?: string; command?: string[]; args?: string[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe; livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
};
type Probe = { httpGet?: { path?: string; port: number | string } };
type PodSpec = { containers: Container[]; securityContext?: { runAsNonRoot?: boolean } };
type Workload = Manifest & { spec: { selector?: { matchLabels?: Record<string, string> }; template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } } };

/** The secrets the manifests may read, and their keys: ours, and the ones the operators write. */
export const KNOWN_SECRETS: Record<string, string[]> = {
  'hub-secrets': ['HUB_MASTER_KEYS', 'HUB_OPERATOR_TOKENS'],
  'hub-postgres-app': ['uri', 'username', 'password', 'host', 'port', 'dbname'],
  'hub-rabbitmq-default-user': ['connection_string', 'username', 'password', 'host', 'port'],
};

const podOf = (m: Manifest): PodSpec | null =>
  m.kind === 'Deployment' || m.kind === 'Job' ? (m as Workload).spec?.template?.spec ?? null : null;

/** Env names each container sets that its package's env.ts does not parse, and refs to missing ConfigMap keys or secrets. */
export function checkEnv(manifests: Manifest[]): string[] {
  const errors: string[] = [];
  const configMaps = new Map(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, (m as { data?: Record<string, string> }).data ?? {}]));
  for (const m of manifests) {
    for (const c of podOf(m)?.containers ?? []) {
      const id = `${m.kind}/${m.metadata.name} container ${c.name}`;
      const proc = packageOf(c.command ?? []);
      if (!proc) {
        if (c.image?.includes('datahub/hub')) errors.push(`${id}: command ${JSON.stringify(c.command)} is not \`node <package>/dist/<entry>.js\``);
        continue;
      }
      for (const file of [proc.entry, ...proc.preloads]) if (!existsSync(join(REPO_ROOT, file))) errors.push(`${id}: runs ${file}, which does not exist`);
      for (const e of c.env ?? []) {
        if (!envNamesOf(proc.pkg).has(e.name)) errors.push(`${id}: ${e.name} is not parsed by ${proc.pkg}/src/env.ts`);
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm && !(cm.key in (configMaps.get(cm.name) ?? {}))) errors.push(`${id}: ${e.name} reads ConfigMap ${cm.name} key ${cm.key}, which is not defined`);
        const sec = e.valueFrom?.secretKeyRef;
        if (sec && !KNOWN_SECRETS[sec.name]?.includes(sec.key)) errors.push(`${id}: ${e.name} reads secret ${sec.name} key ${sec.key}, which nothing creates`);
        if (cm?.key && cm.key !== e.name && !sec) errors.push(`${id}: ${e.name} reads ConfigMap key ${cm.key} (keep the env name)`);
      }
    }
  }
  return errors;
}

function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * Every hub process runs as a Deployment with readiness and liveness probes on a path its code
 * serves and on the port it listens on, non-root with a read-only root filesystem, resources
 * set, a PodDisruptionBudget and (for the ones taking traffic) a Service that selects it.
 */
export function checkHubWorkloads(manifests: Manifest[]): string[] {
  const errors: string[] = [];
  const deployments = manifests.filter((m) => m.kind === 'Deployment') as Workload[];
  for (const [name, proc] of Object.entries(HUB_PROCESSES)) {
    const d = deployments.find((x) => x.metadata.name === name);
    if (!d) {
      errors.push(`Deployment/${name} is missing`);
      continue;
    }
    const pod = d.spec.template.spec;
    const podLabels = d.spec.template.metadata?.labels;
    if (!labelsMatch(d.spec.selector?.matchLabels, podLabels)) errors.push(`Deployment/${name}: selector does not match its pod labels`);
    if (!pod.securityContext?.runAsNonRoot) errors.push(`Deployment/${name}: pod securityContext.runAsNonRoot is not true`);
    const c = pod.containers[0];
    const run = packageOf(c.command ?? []);
    if (!run || run.pkg !== proc.pkg || run.role !== proc.role) errors.push(`Deployment/${name}: command ${JSON.stringify(c.command)} does not start ${proc.pkg} ${proc.role ?? ''}`);
    errors.push(...flagErrors(name, c.command, `Deployment/${name}`));
    const sc = c.securityContext;
    if (!sc?.readOnlyRootFilesystem || sc.allowPrivilegeEscalation !== false) errors.push(`Deployment/${name}: container needs readOnlyRootFilesystem: true and allowPrivilegeEscalation: false`);
    if (!c.resources?.requests?.cpu || !c.resources.requests.memory || !c.resources.limits?.memory) errors.push(`Deployment/${name}: resources need cpu and memory requests and a memory limit`);
    const listens = Number(c.env?.find((e) => e.name === proc.portEnv)?.value);
    const served = readFileSync(join(REPO_ROOT, proc.servedBy), 'utf8');
    for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
      const probe = c[kind]?.httpGet;
      if (!probe?.path) {
        errors.push(`Deployment/${name}: no HTTP ${kind}`);
        continue;
      }
      if (!served.includes(`'${probe.path}'`)) errors.push(`Deployment/${name}: ${kind} path ${probe.path} is not served by ${proc.servedBy}`);
      const port = typeof probe.port === 'number' ? probe.port : c.ports?.find((p) => p.name === probe.port)?.containerPort;
      if (port === undefined || port !== listens) errors.push(`Deployment/${name}: ${kind} port ${probe.port} is not the port it listens on (${proc.portEnv}=${Number.isNaN(listens) ? 'unset' : listens})`);
    }
    if (!manifests.some((m) => m.kind === 'PodDisruptionBudget' && labelsMatch((m as Workload).spec.selector?.matchLabels, podLabels))) errors.push(`Deployment/${name}: no PodDisruptionBudget selects it`);
  }
  for (const s of manifests.filter((m) => m.kind === 'Service')) {
    const selector = (s as Manifest & { spec: { selector?: Record<string, string> } }).spec.selector;
    if (!manifests.some((m) => m.kind === 'Deployment' && labelsMatch(selector, (m as Workload).spec.template.metadata?.labels))) errors.push(`Service/${s.metadata.name}: selects no Deployment's pods`);
  }
  return errors;
}
