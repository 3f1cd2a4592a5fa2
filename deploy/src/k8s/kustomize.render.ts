// The part of kustomize that deploy/k8s uses, so the tests can render each overlay offline (no
// kubectl or kustomize binary here): resources (files and directories), namespace, labels,
// images and strategic-merge patches addressed by kind + name. Any other kustomization field
// fails loudly, so an overlay cannot grow a feature this renderer would silently skip.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'images', 'patches']);
/** Kinds that have no namespace (the namespace transformer leaves them alone). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass']);

/** Every document of a YAML file, empty documents skipped; a YAML error names the file. */
export function readManifests(file: string): Manifest[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: Manifest[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS() as Manifest | null;
    if (value !== null) out.push(value);
  }
  return out;
}

/** Renders a kustomization directory the way `kubectl kustomize <dir>` would, for the fields above. */
export function renderKustomization(dir: string): Manifest[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const k = readManifests(file)[0] as unknown as Kustomization;
  const unknown = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unknown.length) throw new Error(`${file}: fields not supported by the test renderer: ${unknown.join(', ')}`);

  let out: Manifest[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    out.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readManifests(path)));
  }
  for (const patch of k.patches ?? []) {
    for (const p of readManifests(resolve(dir, patch.path))) out = applyPatch(out, p, join(dir, patch.path));
  }
  if (k.namespace) {
    for (const m of out) if (!CLUSTER_SCOPED.has(m.kind)) m.metadata.namespace = k.namespace;
  }
  for (const set of k.labels ?? []) {
    if (set.includeSelectors || set.includeTemplates) throw new Error(`${file}: labels with includeSelectors/includeTemplates are not supported by the test renderer`);
    for (const m of out) m.metadata.labels = { ...m.metadata.labels, ...set.pairs };
  }
  for (const image of k.images ?? []) for (const m of out) retag(m, image);
  assertUnique(out, file);
  return out;
}

function assertUnique(out: Manifest[], file: string): void {
  const seen = new Set<string>();
  for (const m of out) {
    const id = `${m.kind}/${m.metadata?.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
}

function applyPatch(resources: Manifest[], patch: Manifest, file: string): Manifest[] {
  const i = resources.findIndex((r) => r.kind === patch.kind && r.metadata.name === patch.metadata?.name);
  if (i < 0) throw new Error(`${file}: patch target ${patch.kind}/${patch.metadata?.name} not found`);
  if (resources[i].apiVersion !== patch.apiVersion) throw new Error(`${file}: patch apiVersion ${patch.apiVersion} differs from ${resources[i].apiVersion}`);
  const copy = [...resources];
  copy[i] = strategicMerge(resources[i], patch, '') as Manifest;
  return copy;
}

/** The merge keys of the Kubernetes lists we patch (strategic merge); other lists are replaced. */
function mergeKey(field: string, items: unknown[]): string | null {
  if (['containers', 'initContainers', 'env', 'volumes', 'imagePullSecrets'].includes(field)) return 'name';
  if (field === 'volumeMounts') return 'mountPath';
  if (field === 'ports') return items.some((p) => isObject(p) && 'containerPort' in p) ? 'containerPort' : 'port';
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function strategicMerge(base: unknown, patch: unknown, field: string): unknown {
  if (isObject(base) && isObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value, key) : value;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const key = mergeKey(field, [...base, ...patch]);
    if (!key) return patch;
    const out = [...base];
    for (const item of patch) {
      const at = isObject(item) ? out.findIndex((b) => isObject(b) && b[key] === item[key]) : -1;
      if (at >= 0) out[at] = strategicMerge(out[at], item, field);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

/** kustomize `images`: containers whose image (without tag or digest) is `name` get the new name/tag. */
function retag(m: Manifest, image: { name: string; newName?: string; newTag?: string }): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    for (const list of ['containers', 'initContainers']) {
      for (const c of (node[list] as unknown[] | undefined) ?? []) {
        if (!isObject(c) || typeof c.image !== 'string') continue;
        const [name, tag] = splitImage(c.image);
        if (name !== image.name) continue;
        c.image = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(m);
}

function splitImage(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  return colon < 0 ? [image, undefined] : [image.slice(0, colon), image.slice(colon + 1)];
}

/** The repository root, from this file (src or dist). */
export const REPO_ROOT = resolve(dirname(__filename), '..', '..', '..');
