import { withStatus } from './credential.status';

describe('withStatus', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-01-02T00:00:00Z');

  it('records why and when a credential starts failing, and clears the reason when it is active again', () => {
    const failing = withStatus({ status: 'active', statusReason: null, statusChangedAt: null }, 'failing', 'Copernica answered HTTP 401', t0);
    expect(failing).toEqual({ status: 'failing', statusReason: 'Copernica answered HTTP 401', statusChangedAt: t0 });
    expect(withStatus(failing, 'active', 'ignored', t1)).toEqual({ status: 'active', statusReason: null, statusChangedAt: t1 });
  });

  it('keeps the time when nothing changed, and moves it when only the reason changed', () => {
    expect(withStatus({ status: 'active', statusReason: null, statusChangedAt: t0 }, 'active', null, t1).statusChangedAt).toBe(t0);
    expect(withStatus({ status: 'failing', statusReason: 'a', statusChangedAt: t0 }, 'failing', 'b', t1).statusChangedAt).toBe(t1);
  });
});
