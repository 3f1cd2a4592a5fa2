/**
 * npm run bench:e2e — the whole hub as separate processes (as `npm start` runs it) under an
 * open-loop notify load through the gateway; each event is followed to the target's receipt.
 *
 *   ramp (default): --rates 100,200,300,500,800,1000,1200,1500 --step-sec 15; stops at the first
 *                   step with p95 ≥ 250 ms or a lost event, and prints the max sustainable rate.
 *   soak:           --soak 600 --rate 200: RSS per process every 30 s, and its growth.
 *   both:           --workers N (worker processes), --targets stand-in|emulators, --drain-sec S.
 * The same as environment: BENCH_RATES, BENCH_STEP_SEC, BENCH_WORKERS, BENCH_TARGETS, BENCH_SOAK_SEC, BENCH_RATE.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { driveOpenLoop, drain, startSystem, summarize, type HubSystem, type LoadOutcome, type RoleMeter } from '@datahub/deploy';
import { benchEnv, type BenchEnv } from './env';

const P95_LIMIT_MS = 250;

function flag(name: string, envName: keyof BenchEnv): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const v = benchEnv[envName];
  return v === undefined ? undefined : String(v);
}

const config = {
  rates: (flag('rates', 'BENCH_RATES') ?? '100,200,300,500,800,1000,1200,1500').split(',').map(Number).filter((n) => n > 0),
  stepSec: Number(flag('step-sec', 'BENCH_STEP_SEC') ?? 15),
  workers: Number(flag('workers', 'BENCH_WORKERS') ?? 1),
  targets: (flag('targets', 'BENCH_TARGETS') ?? 'stand-in') as 'stand-in' | 'emulators',
  soakSec: Number(flag('soak', 'BENCH_SOAK_SEC') ?? 0),
  rate: Number(flag('rate', 'BENCH_RATE') ?? 200),
  drainSec: Number(flag('drain-sec', 'BENCH_DRAIN_SEC') ?? 20),
  /** A directory: every hub process writes a V8 CPU profile there when it stops (`node --cpu-prof`). */
  profileDir: flag('profile', 'BENCH_PROFILE_DIR'),
  /** Seconds of 50 events/s before the first step (what a cold hub gets to warm up). */
  warmupSec: Number(flag('warmup-sec', 'BENCH_WARMUP_SEC') ?? 3),
  /** More node flags for every hub process, space-separated (e.g. `--max-semi-space-size=4`), to try V8 settings. */
  nodeArgs: (flag('node-args', 'BENCH_NODE_ARGS') ?? '').split(' ').filter(Boolean),
};

const run = randomBytes(3).toString('hex');
const fmt = (n: number) => (Number.isFinite(n) ? (n >= 100 ? Math.round(n).toString() : n.toFixed(n >= 10 ? 1 : 2)) : '-');

interface Step {
  outcome: LoadOutcome;
  cpuMsPerEvent: Record<string, number>;
  rssMb: Record<string, number>;
  drained: boolean;
}

async function step(sys: HubSystem, meters: RoleMeter[], tag: string, rate: number, seconds: number): Promise<Step> {
  const before = new Map(meters.map((m) => [m.name, m.cpuMs()]));
  const peakRss = new Map<string, number>();
  const sample = () => meters.forEach((m) => peakRss.set(m.name, Math.max(peakRss.get(m.name) ?? 0, m.rssMb())));
  const sampler = setInterval(sample, 1000);
  const load = driveOpenLoop({ inboundUrl: sys.inboundUrl, ratePerSec: rate, durationSec: seconds, profileIdOf: (i) => `${run}-${tag}-${i}` });
  const events = await load.done;
  const dead = async () => new Set((await sys.deadLetters()).keys());
  const drained = await drain(events, sys.targets.receipts, dead, { timeoutMs: config.drainSec * 1000, settleMs: 500 });
  clearInterval(sampler);
  sample();
  const outcome = summarize(events, sys.targets.receipts, drained.deadLetters);
  const per = Math.max(1, outcome.accepted);
  const cpuMsPerEvent = Object.fromEntries(meters.map((m) => [m.name, (m.cpuMs() - before.get(m.name)!) / per]));
  return { outcome, cpuMsPerEvent, rssMb: Object.fromEntries(peakRss), drained: drained.drained };
}

function line(label: string, s: Step): string {
  const o = s.outcome;
  const refused = Object.entries({ ...o.refused, ...o.networkErrors }).map(([k, v]) => `${k}:${v}`).join(',') || '0';
  const cpu = Object.entries(s.cpuMsPerEvent).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
  const rss = Object.entries(s.rssMb).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  return `${label} offered ${fmt(o.offeredPerSec)}/s accepted ${fmt(o.acceptedPerSec)}/s delivered ${fmt(o.deliveredPerSec)}/s | ` +
    `p50 ${fmt(o.latencyMs.p50)} p95 ${fmt(o.latencyMs.p95)} p99 ${fmt(o.latencyMs.p99)} ms | lost ${o.lost} dup ${o.duplicates} ` +
    `dead ${o.deadLettered} refused ${refused}${s.drained ? '' : ' (not drained)'}\n    p95 per 5 s window: ${o.p95ByWindowMs.map(fmt).join(' ')} ms\n    CPU ms/event: ${cpu}\n    RSS MB (peak): ${rss}`;
}

async function ramp(sys: HubSystem, meters: RoleMeter[]): Promise<void> {
  let best: number | undefined;
  for (const rate of config.rates) {
    const s = await step(sys, meters, `r${rate}`, rate, config.stepSec);
    const ok = s.outcome.latencyMs.p95 < P95_LIMIT_MS && s.outcome.lost === 0 && s.drained && s.outcome.accepted === s.outcome.sent;
    console.log(line(`${String(rate).padStart(5)}/s ${ok ? 'ok  ' : 'FAIL'}`, s));
    if (!ok) break;
    best = rate;
  }
  console.log(best === undefined
    ? `\nmax sustainable rate: below ${config.rates[0]}/s (p95 < ${P95_LIMIT_MS} ms, 0 lost)`
    : `\nmax sustainable rate: ${best}/s (p95 < ${P95_LIMIT_MS} ms, 0 lost, every notify accepted; next step failed or none left)`);
}

const WARM_SEC = 60;

async function soak(sys: HubSystem, meters: RoleMeter[]): Promise<void> {
  console.log(`soak: ${config.rate}/s for ${config.soakSec} s; RSS MB every 30 s`);
  // Growth: the mean of the last three readings against the mean of the three from t = 60 s (warm: pools, JIT,
  // heap sized), not against idle; RSS swings ±15 % with each full GC, so one reading against one says little.
  const readings = new Map<string, { t: number; mb: number }[]>();
  const report = (t: number) => {
    const row = meters.map((m) => {
      const mb = m.rssMb();
      readings.set(m.name, [...(readings.get(m.name) ?? []), { t, mb }]);
      return `${m.name} ${Math.round(mb)}`;
    });
    console.log(`  t=${String(t).padStart(4)} s  ${row.join(', ')}`);
  };
  report(0);
  let t = 0;
  const ticker = setInterval(() => report((t += 30)), 30_000);
  const s = await step(sys, meters, 'soak', config.rate, config.soakSec).finally(() => clearInterval(ticker));
  report(Math.round(config.soakSec));
  console.log(line('soak', s));
  const mean = (rs: { mb: number }[]) => rs.reduce((a, r) => a + r.mb, 0) / rs.length;
  const growth = meters.map((m) => {
    const rs = readings.get(m.name) ?? [];
    const from = mean(rs.filter((r) => r.t >= WARM_SEC).slice(0, 3));
    const to = mean(rs.slice(-3));
    return `${m.name} ${Math.round(from)} → ${Math.round(to)} (${to >= from ? '+' : ''}${fmt(((to - from) / from) * 100)} %)`;
  });
  console.log(`  RSS, mean of 3 readings from t=${WARM_SEC} s → mean of the last 3: ${growth.join(', ')}`);
}

async function main(): Promise<void> {
  console.log(`e2e benchmark: ${cpus().length} cores, ${config.workers} worker process(es), targets: ${config.targets}, ` +
    (config.soakSec ? `soak ${config.soakSec} s at ${config.rate}/s` : `steps ${config.rates.join(',')}/s of ${config.stepSec} s`));
  let sys: HubSystem | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await sys?.stop().catch((e) => console.error(e));
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(130));
  process.once('SIGTERM', () => void shutdown(143));
  // A hard bound on the whole run, whatever happens.
  const boundSec = 120 + (config.soakSec || config.rates.length * (config.stepSec + config.drainSec + 5));
  setTimeout(() => {
    console.error(`benchmark exceeded ${boundSec} s; stopping`);
    void shutdown(1);
  }, boundSec * 1000).unref();
  try {
    const nodeArgs = [...config.nodeArgs, ...(config.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.profileDir}`] : [])];
    sys = await startSystem({ workers: config.workers, targets: config.targets, nodeArgs });
    console.log(`hub up (logs in ${sys.logDir}); warming up`);
    const meters = sys.meters();
    await driveOpenLoop({ inboundUrl: sys.inboundUrl, ratePerSec: 50, durationSec: config.warmupSec, profileIdOf: (i) => `${run}-warm-${i}` }).done;
    await new Promise((r) => setTimeout(r, 1000));
    if (config.soakSec) await soak(sys, meters);
    else await ramp(sys, meters);
    const crashed = sys.unexpectedExits();
    if (crashed.length) console.log(`processes that exited on their own: ${JSON.stringify(crashed)}`);
    await shutdown(0);
  } catch (err) {
    console.error(err);
    await shutdown(1);
  }
}

void main();
