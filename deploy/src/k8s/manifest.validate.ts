// Offline schema validation of Kubernetes manifests (no cluster, no kubeconform here).
// - Built-in kinds: the validators `kubernetes-models` compiles from Kubernetes' OpenAPI schema
//   (types, enums, required fields), plus its TypeScript declarations for unknown fields: the
//   OpenAPI schema does not forbid them, and a misspelt `readinesProbe` must fail like
//   `kubeconform -strict` would. Each manifest becomes a typed object literal; tsc's excess
//   property check names the field.
// - Custom resources: the operators' own CRD schemas, bundled in deploy/k8s/schemas (each file
//   names its source), checked with ajv with unknown fields forbidden unless the schema says
//   x-kubernetes-preserve-unknown-fields.
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import ts from 'typescript';
import { REPO_ROOT, type Manifest } from './kustomize.render';

// Each model's constructor takes its own shape; here it gets a parsed manifest and validates it.
type ModelClass = new (data: any) => { validate(): void };
interface BuiltIn { model: ModelClass; module: string; type: string }

const BUILT_IN: Record<string, BuiltIn> = {
  'v1/Namespace': { model: Namespace, module: 'v1/Namespace', type: 'INamespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'v1/ConfigMap', type: 'IConfigMap' },
  'v1/Secret': { model: Secret, module: 'v1/Secret', type: 'ISecret' },
  'v1/Service': { model: Service, module: 'v1/Service', type: 'IService' },
  'v1/ServiceAccount': { model: ServiceAccount, module: 'v1/ServiceAccount', type: 'IServiceAccount' },
  'apps/v1/Deployment': { model: Deployment, module: 'apps/v1/Deployment', type: 'IDeployment' },
  'batch/v1/Job': { model: Job, module: 'batch/v1/Job', type: 'IJob' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, module: 'policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, module: 'autoscaling/v2/HorizontalPodAutoscaler', type: 'IHorizontalPodAutoscaler' },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, module: 'networking.k8s.io/v1/NetworkPolicy', type: 'INetworkPolicy' },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, module: 'rbac.authorization.k8s.io/v1/Role', type: 'IRole' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, module: 'rbac.authorization.k8s.io/v1/RoleBinding', type: 'IRoleBinding' },
};

/** Custom resources and the bundled schema file of each. */
const CUSTOM: Record<string, string> = {
  'rabbitmq.com/v1beta1/RabbitmqCluster': 'rabbitmq.com_v1beta1_rabbitmqcluster.json',
  'postgresql.cnpg.io/v1/Cluster': 'postgresql.cnpg.io_v1_cluster.json',
  'keda.sh/v1alpha1/ScaledObject': 'keda.sh_v1alpha1_scaledobject.json',
  'keda.sh/v1alpha1/TriggerAuthentication': 'keda.sh_v1alpha1_triggerauthentication.json',
};

export const SCHEMA_DIR = join(REPO_ROOT, 'deploy', 'k8s', 'schemas');

type AjvError = { instancePath: string; message?: string; params?: unknown };

const typeOf = (m: Manifest) => `${m.apiVersion}/${m.kind}`;
const idOf = (m: Manifest) => `${m.kind}/${m.metadata?.name}`;

/** Marks every object schema that lists its properties as closed (kubeconform's -strict). */
function closeObjects(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(closeObjects);
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Record<string, unknown>;
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = false;
  Object.values(s).forEach(closeObjects);
}

/** The model class of kubernetes-models validates with the compiled schema; it throws the ajv errors. */
function builtInErrors(m: Manifest, kind: BuiltIn): AjvError[] {
  try {
    new kind.model(m).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!errors) throw err;
    return errors;
  }
}

const customValidators = new Map<string, ValidateFunction>();
function customValidator(type: string): ValidateFunction {
  let v = customValidators.get(type);
  if (!v) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, CUSTOM[type]), 'utf8')) as Record<string, unknown>;
    delete schema.$comment;
    closeObjects(schema);
    v = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    customValidators.set(type, v);
  }
  return v;
}

function describe(errors: AjvError[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in (e.params as object) ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
}

/** Schema errors of each manifest (empty when all are valid); `source` prefixes each message. */
export function validateManifests(manifests: Manifest[], source: string): string[] {
  const errors: string[] = [];
  const builtIns: Manifest[] = [];
  for (const m of manifests) {
    const type = typeOf(m);
    if (!m.metadata?.name) errors.push(`${source} ${type}: metadata.name is missing`);
    if (BUILT_IN[type]) {
      errors.push(...describe(builtInErrors(m, BUILT_IN[type])).map((e) => `${source} ${idOf(m)}: ${e}`));
      builtIns.push(m);
    } else if (CUSTOM[type]) {
      const v = customValidator(type);
      if (!v(m)) errors.push(...describe(v.errors).map((e) => `${source} ${idOf(m)}: ${e}`));
    } else {
      errors.push(`${source} ${idOf(m)}: no schema for ${type} (add it to deploy/src/k8s/manifest.validate.ts)`);
    }
  }
  errors.push(...unknownFields(builtIns, source));
  return errors;
}

/** tsc's excess property check over the built-in kinds: every misspelt or unknown field, by name. */
function unknownFields(manifests: Manifest[], source: string): string[] {
  if (!manifests.length) return [];
  const fileName = join(REPO_ROOT, 'deploy', '__k8s_manifests__.ts');
  const lines: string[] = [];
  const starts: { line: number; m: Manifest }[] = [];
  const types = [...new Set(manifests.map(typeOf))];
  types.forEach((t, i) => lines.push(`import type { ${BUILT_IN[t].type} as T${i} } from 'kubernetes-models/${BUILT_IN[t].module}';`));
  manifests.forEach((m, i) => {
    starts.push({ line: lines.length, m });
    lines.push(...`export const r${i}: T${types.indexOf(typeOf(m))} = ${JSON.stringify(m, null, 1)};`.split('\n'));
  });
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) => name === fileName ? ts.createSourceFile(name, text, lang) : getSourceFile.call(host, name, lang, ...rest);
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => name === fileName ? text : readFile.call(host, name);
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getGlobalDiagnostics()];
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined || d.file.fileName !== fileName) return `${source}: ${message}`;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    const owner = [...starts].reverse().find((s) => s.line <= line);
    return `${source} ${owner ? idOf(owner.m) : '?'}: ${message} (at ${lines[line].trim()})`;
  });
}
