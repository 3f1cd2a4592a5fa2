import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** host:port of each process's /metrics. */
export interface MetricsEndpoints {
  gateway: string;
  controlPlane: string;
  ingress: string;
  worker: string[];
}

/**
 * Writes Prometheus file_sd targets (deploy/prometheus/prometheus.yml reads .hub/prometheus-targets.json):
 * the local processes pick their ports at start, so the scrape config cannot name them.
 */
export function writePrometheusTargets(file: string, e: MetricsEndpoints): void {
  const groups = [
    { targets: [e.gateway], labels: { process: 'gateway' } },
    { targets: [e.controlPlane], labels: { process: 'control-plane' } },
    { targets: [e.ingress], labels: { process: 'ingress' } },
    { targets: e.worker, labels: { process: 'worker' } },
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(groups, null, 2));
}
