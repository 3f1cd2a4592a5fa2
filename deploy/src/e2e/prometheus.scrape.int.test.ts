import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../demo/graphql.client';
import { createTenant, setupScenario1 } from '../demo/scenarios';
import { freePort } from '../local/free-port';
import { PROMETHEUS_DIR } from '../observability/observability.assets';
import { writePrometheusTargets } from '../observability/prometheus.targets';
import { startTestStack, type TestStack } from './test.stack';

/**
 * A real Prometheus (Debian's 2.42) with the checked-in deploy/prometheus config, scraping a
 * running stack: what an SRE's Prometheus would see.
 */
describe('Prometheus scrapes every process of a running hub', () => {
  let stack: TestStack;
  let prometheus: ChildProcess | null = null;
  let dir: string;
  let api: string;
  const log: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    // The checked-in config, unchanged but for 1 s scrape and evaluation intervals, with the stack's ports as file_sd targets.
    dir = mkdtempSync(join(tmpdir(), 'hub-prometheus-'));
    const conf = join(dir, 'deploy', 'prometheus');
    cpSync(PROMETHEUS_DIR, conf, { recursive: true });
    writeFileSync(join(conf, 'prometheus.yml'), readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8').replace(/scrape_interval: \d+s/, 'scrape_interval: 1s').replace(/evaluation_interval: \d+s/, 'evaluation_interval: 1s'));
    const at = (port: number) => `127.0.0.1:${port}`;
    writePrometheusTargets(join(dir, '.hub', 'prometheus-targets.json'), {
      gateway: new URL(stack.gatewayUrl).host, controlPlane: at(stack.cp.port), ingress: new URL(stack.ingress.url).host, worker: [at(stack.worker.healthPort)],
    });
    mkdirSync(join(dir, 'data'));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn('prometheus', [
      `--config.file=${join(conf, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.on('error', (err) => log.push(`prometheus could not start: ${err.message} (deploy/local/ensure-system-deps.sh installs it)`));
    prometheus.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    prometheus.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    await eventually(async () => (await fetch(`${api}/-/ready`).catch(() => null))?.ok, 20_000, 200).catch((err) => {
      throw new Error(`Prometheus did not get ready: ${log.join('')} ${err}`);
    });
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
    return body.data.result;
  }
  const scalar = async (promql: string) => {
    const [r] = await query(promql);
    return r ? Number(r.value[1]) : undefined;
  };
  /** Each process is scraped on its own beat: wait until the value is there (or fail with the last one). */
  const settlesAt = async (promql: string, expected: number) => {
    const seen = await eventually(async () => {
      const v = await scalar(promql);
      return v === expected ? v : undefined;
    }, 10_000, 250).catch(async () => scalar(promql));
    expect({ promql, value: seen }).toEqual({ promql, value: expected });
  };

  it('sees the deliveries, webhooks, queue depth and rules of a running stack', async () => {
    // Every process is scraped.
    await eventually(async () => (await query('up == 1')).length === 4, 15_000, 250);
    const processes = (await query('up')).map((r) => r.metric.process).sort();
    expect(processes).toEqual(['control-plane', 'gateway', 'ingress', 'worker']);

    const { token, projectId } = await createTenant(stack.graphqlUrl, stack.operatorToken, 'Scraped');
    const sync = await setupScenario1(stack.graphqlUrl, token, projectId, stack.accounts);
    for (let i = 1; i <= 3; i++) {
      stack.blueconic.upsertProfile({ id: `bc-prom-${i}`, properties: { email: [`prom${i}@example.com`], interests: ['tennis'] } });
      expect((await fetch(`${sync.inboundUrl}?id=bc-prom-${i}`)).status).toBe(202);
    }
    expect((await fetch(`${stack.gatewayUrl}/hooks/dhk_not_a_key`)).status).toBe(401);
    await eventually(() => stack.copernica.profiles(1).filter((p) => String(p.fields.email).startsWith('prom')).length === 3);

    const copernica = new URL(stack.copernica.url).host;
    await settlesAt(`sum(hub_delivery_attempts_total{outcome="delivered",target_host="${copernica}"})`, 3);
    await settlesAt(`sum(hub_delivery_latency_seconds_count{target_host="${copernica}"})`, 3);
    await settlesAt('sum(hub_ingress_events_total{trigger="notify"})', 3);
    await settlesAt('sum(hub_http_requests_total{service="gateway",route="/hooks",code="202"})', 3);
    await settlesAt('sum(hub_http_requests_total{service="gateway",route="/hooks",code="401"})', 1);
    // Sources are counted too: three fetches from BlueConic.
    await settlesAt(`sum(hub_upstream_responses_total{target_host="${new URL(stack.blueconic.url).host}",code="200"})`, 3);
    await eventually(async () => ((await scalar('sum(hub_graphql_operation_duration_seconds_count{operation_type="mutation"})')) ?? 0) >= 5, 10_000, 250);

    // Queue depth is polled from the broker: the series exists for the work queue and the retry buckets.
    await eventually(async () => (await query('hub_queue_messages{queue="hub.work",service="worker"}')).length === 1, 15_000, 250);
    expect((await query('hub_queue_messages{queue=~"hub.retry.*"}')).length).toBeGreaterThan(0);
    // No id is ever a label: only bounded label names appear.
    const labels = (await (await fetch(`${api}/api/v1/labels`)).json()) as { data: string[] };
    expect(labels.data.filter((l) => /tenant|sync|event|project|credential/.test(l))).toEqual([]);

    // The alert and recording rules are loaded and evaluated.
    const rules = (await (await fetch(`${api}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string }[] }[] } };
    const all = rules.data.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.name)).toEqual(expect.arrayContaining(['HubBreakerOpen', 'HubQueueGrowing', 'HubIngressUnavailable', 'queue:hub_queue_messages:max']));
    await eventually(async () => ((await (await fetch(`${api}/api/v1/rules`)).json()) as typeof rules).data.groups.flatMap((g) => g.rules).every((r) => r.health === 'ok'), 10_000, 500);
  });
});
