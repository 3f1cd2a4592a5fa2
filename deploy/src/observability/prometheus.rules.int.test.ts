import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS_DIR, ruleFiles, RULES_DIR } from './observability.assets';

function promtool(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`promtool not runnable (${r.error.message}); deploy/local/ensure-system-deps.sh installs Debian's prometheus`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('Prometheus rules and scrape config (promtool)', () => {
  it('passes promtool check rules', () => {
    const r = promtool('check', 'rules', ...ruleFiles());
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    expect(r.out.match(/SUCCESS/g)).toHaveLength(ruleFiles().length);
  });

  it('passes the rule unit tests beside the rules (promtool test rules)', () => {
    const r = promtool('test', 'rules', join(RULES_DIR, 'hub.rules.test.yml'));
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('fails those unit tests when an alert is broken (they can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-rules-'));
    try {
      for (const f of ['hub.rules.yml', 'hub.rules.test.yml']) copyFileSync(join(RULES_DIR, f), join(dir, f));
      writeFileSync(join(dir, 'hub.alerts.yml'), readFileSync(join(RULES_DIR, 'hub.alerts.yml'), 'utf8').replace('hub_breaker_state) == 2', 'hub_breaker_state) == 1'));
      const r = promtool('test', 'rules', join(dir, 'hub.rules.test.yml'));
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('HubBreakerOpen');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a valid scrape config for the local stack', () => {
    const r = promtool('check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml'));
    expect(r.code).toBe(0);
  });
});
