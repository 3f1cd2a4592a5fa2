import { graphqlMetrics, ingressMetrics, schedulerMetrics, workerMetrics } from './metrics.hub';
import { httpMetrics, metricsText, serviceRegistry, SERVICES } from './metrics.registry';
import { queueDepthGauges } from './queue.depth';

/**
 * Every series name the hub can export (histograms with their _bucket, _sum and _count), for
 * checking that dashboards and alert rules only name metrics that exist.
 */
export async function metricCatalog(): Promise<Set<string>> {
  for (const s of SERVICES) httpMetrics(s);
  ingressMetrics();
  workerMetrics();
  graphqlMetrics();
  schedulerMetrics();
  queueDepthGauges('worker');
  const names = new Set<string>();
  const text = await metricsText('worker'); // also makes the process metrics
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)/.exec(line);
    if (m) add(names, m[1]!, m[2]!);
  }
  for (const s of SERVICES) for (const metric of await serviceRegistry(s).getMetricsAsJSON()) add(names, metric.name, String(metric.type));
  return names;
}

function add(names: Set<string>, name: string, type: string): void {
  names.add(name);
  if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
}
