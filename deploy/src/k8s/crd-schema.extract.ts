// Cuts the openAPIV3Schema of one version out of an operator's CRD file, for the offline manifest
// tests (deploy/k8s/schemas/). Top-level spec fields we do not set keep their name (so a typo
// there still fails) but lose their sub-schema, which keeps the bundled files small:
//   node deploy/dist/k8s/crd-schema.extract.js <crd.yaml> <version> <source note> <kept spec fields,comma> > out.json
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}
interface Schema { properties?: Record<string, Schema>; [k: string]: unknown }

function main(): void {
  const [file, version, source, keep] = process.argv.slice(2);
  if (!file || !version || !source || !keep) throw new Error('usage: crd-schema.extract <crd.yaml> <version> <source note> <spec fields,comma>');
  const crd = parse(readFileSync(file, 'utf8')) as Crd;
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`no version ${version} in ${file}`);
  const schema = structuredClone(v.schema.openAPIV3Schema);
  const kept = new Set(keep.split(','));
  const spec = schema.properties?.spec;
  for (const [name, sub] of Object.entries(spec?.properties ?? {})) {
    if (!kept.has(name)) spec!.properties![name] = { description: 'pruned: not set by deploy/k8s', ...(sub.type ? { type: sub.type } : {}) };
  }
  delete schema.properties?.status;
  const out = { $comment: `${crd.spec.group}/${version} ${crd.spec.names.kind}: ${source}`, ...schema };
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

main();
