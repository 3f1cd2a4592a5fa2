import { metricCatalog } from '@datahub/connectors';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { dashboardQueries, dashboards, metricNamesIn, ruleFiles } from './observability.assets';

/** Labels that would make a series per tenant, sync or event: never allowed in a metric. */
const ID_LABELS = /\b(tenant|tenant_id|project_id|sync_id|event_id|entity_id|credential_id)\b/;

describe('dashboards and alert rules name only metrics the hub exports', () => {
  let catalog: Set<string>;
  beforeAll(async () => {
    catalog = await metricCatalog();
  });

  it('knows the metrics every process exports', () => {
    for (const name of ['hub_http_requests_total', 'hub_ingress_events_total', 'hub_queue_messages', 'hub_delivery_latency_seconds_bucket',
      'hub_delivery_attempts_total', 'hub_delivery_retries_total', 'hub_dead_letters_total', 'hub_breaker_state', 'hub_rate_limit_utilisation_ratio',
      'hub_graphql_operation_duration_seconds_count', 'hub_upstream_responses_total', 'hub_process_resident_memory_bytes']) {
      expect(catalog).toContain(name);
    }
  });

  it('reads metric names out of PromQL, leaving recording rules and label values alone', () => {
    expect(metricNamesIn('sum by (q) (rate(hub_a_total{x="hub_not_a_metric"}[5m])) / target_host:hub_b:rate5m + hub:c:max')).toEqual(['hub_a_total']);
  });

  it.each(dashboards().map((d) => [d.file, d] as const))('dashboard %s is a Grafana dashboard over existing metrics', (_file, d) => {
    expect(d.json.uid).toMatch(/^datahub-/);
    expect(d.json.panels.length).toBeGreaterThan(2);
    const queries = dashboardQueries(d);
    expect(queries.length).toBeGreaterThanOrEqual(d.json.panels.length);
    const unknown = queries.flatMap(metricNamesIn).filter((n) => !catalog.has(n));
    expect(unknown).toEqual([]);
    for (const q of queries) expect(q).not.toMatch(ID_LABELS);
  });

  it('has the five dashboards an SRE opens', () => {
    expect(dashboards().map((d) => d.file)).toEqual(['ingress.json', 'pipeline.json', 'queues.json', 'targets.json', 'usage.json']);
  });

  it.each(ruleFiles().map((f) => [basename(f), f] as const))('rule file %s reads existing metrics only', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const exprs = [...text.matchAll(/expr: (\|\n(?:\s{10,}.*\n)+|.*)/g)].map((m) => m[1]!);
    expect(exprs.length).toBeGreaterThan(5);
    const unknown = exprs.flatMap(metricNamesIn).filter((n) => !catalog.has(n));
    expect(unknown).toEqual([]);
    for (const e of exprs) expect(e).not.toMatch(ID_LABELS);
  });
});
