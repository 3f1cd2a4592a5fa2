import { BULK_RUN_OPEN_STATES, BULK_RUN_STATES, BULK_RUN_TRANSITIONS, bulkRunStatesBefore, type BulkRunStateName } from './bulk.states';

const canMoveBulkRun = (from: BulkRunStateName, to: BulkRunStateName) => BULK_RUN_TRANSITIONS[from].includes(to);

describe('bulk run state table', () => {
  it('ends in succeeded, failed or cancelled, which never move again', () => {
    for (const end of ['succeeded', 'failed', 'cancelled'] as const) {
      expect(BULK_RUN_STATES.filter((to) => canMoveBulkRun(end, to))).toEqual([]);
      expect(BULK_RUN_OPEN_STATES).not.toContain(end);
    }
  });

  it('cancels a queued run at once and a running or draining one through cancelling', () => {
    expect(bulkRunStatesBefore('cancelled')).toEqual(['queued', 'cancelling']);
    expect(bulkRunStatesBefore('cancelling')).toEqual(['running', 'draining']);
    expect(canMoveBulkRun('cancelling', 'succeeded')).toBe(false);
  });

  it('starts only a queued run and succeeds only a draining one', () => {
    expect(bulkRunStatesBefore('running')).toEqual(['queued']);
    expect(bulkRunStatesBefore('succeeded')).toEqual(['draining']);
    expect(bulkRunStatesBefore('draining')).toEqual(['running']);
  });
});
