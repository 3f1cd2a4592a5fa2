/**
 * `node bench/dist/profile/cpu-profile.summary.js <file.cpuprofile> [top]`: where a process spent
 * its CPU, by self time, grouped by package (node_modules/<pkg>, node:internal, the hub's own
 * packages) and by function; then by function *including* what it called (each function counted
 * once per sample), which shows which step of the pipeline costs what. Reads the V8 profiles
 * `npm run bench:e2e -- --profile DIR` writes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function groupOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const own = /\/work\/[^/]+\/([^/]+)\/dist\//.exec(url) ?? /\/([a-z-]+)\/dist\//.exec(url);
  return own ? `hub:${own[1]}` : url;
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile.summary <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);
  const busy = total - idle;
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    const g = groupOf(f.url, f.functionName);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(node_modules|dist)\//, '')}:${f.lineNumber + 1}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(2)} s`);
  console.log('\nby package (self time, % of busy):');
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${g}`);
  console.log('\nby function:');
  for (const [n, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${n}`);
  console.log('\nby function, inclusive (the hub\'s own code):');
  for (const [n, us] of [...inclusive(p, byId, selfUs)].filter(([n]) => n.includes('hub:')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${n}`);
}

/** Time under each function (itself and its callees), a function on the stack twice counted once. */
function inclusive(p: Profile, byId: Map<number, ProfileNode>, selfUs: Map<number, number>): Map<string, number> {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const g = groupOf(f.url, f.functionName);
      const name = `${f.functionName || '(anonymous)'} ${g.startsWith('hub:') ? g + ' ' : ''}${f.url.replace(/.*\/(node_modules|dist)\//, '')}:${f.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      out.set(name, (out.get(name) ?? 0) + us);
    }
  }
  return out;
}

main();
