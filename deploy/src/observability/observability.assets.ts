import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** deploy/prometheus and deploy/grafana, wherever the tests run from. */
export const PROMETHEUS_DIR = join(__dirname, '..', '..', 'prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
export const DASHBOARDS_DIR = join(__dirname, '..', '..', 'grafana', 'dashboards');

/** Metric names a PromQL text reads: `hub_…` identifiers, not recording rules (`level:metric:op`) or label values. */
export function metricNamesIn(promql: string): string[] {
  const withoutStrings = promql.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/(?<![\w:])hub_[a-z0-9_]+(?![\w:])/g)].map((m) => m[0]);
}

export interface Dashboard {
  file: string;
  json: { uid: string; title: string; panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { query?: unknown }[] } };
}

export function dashboards(): Dashboard[] {
  return readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) }));
}

/** Every PromQL expression of a dashboard: panel targets and template variable queries. */
export function dashboardQueries(d: Dashboard): string[] {
  return [
    ...d.json.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ...d.json.templating.list.map((v) => v.query).filter((q): q is string => typeof q === 'string' && q.includes('hub_')),
  ];
}

export function ruleFiles(): string[] {
  return readdirSync(RULES_DIR).filter((f) => f.endsWith('.yml') && !f.endsWith('.test.yml')).sort().map((f) => join(RULES_DIR, f));
}
