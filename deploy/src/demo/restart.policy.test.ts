import { decideRestart, describeExit, type RestartPolicy } from './restart.policy';

const policy: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 1_000, stableAfterMs: 10_000, maxQuickCrashes: 4 };

describe('restart policy of the npm start supervisor', () => {
  it('doubles the delay for each quick crash, capped at the maximum', () => {
    let quick = 0;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const d = decideRestart(quick, 50, { ...policy, maxDelayMs: 500 });
      if (d.action !== 'restart') throw new Error(`gave up at crash ${i + 1}`);
      delays.push(d.delayMs);
      quick = d.quickCrashes;
    }
    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it('gives up after the bounded number of quick crashes', () => {
    expect(decideRestart(4, 50, policy)).toEqual({ action: 'give-up', quickCrashes: 4 });
  });

  it('starts the back-off again after a stable run', () => {
    expect(decideRestart(4, 10_000, policy)).toEqual({ action: 'restart', delayMs: 100, quickCrashes: 1 });
  });

  it('says how a process ended', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('signal SIGKILL');
    expect(describeExit(3, null)).toBe('exit code 3');
  });
});
