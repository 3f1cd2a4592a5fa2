import { BatchAccumulator } from './batch.accumulator';

describe('batching per (destination, resource type)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flushes at the size limit, per key', () => {
    const out: [string, number[]][] = [];
    const acc = new BatchAccumulator<number>((k, items) => out.push([k, items]));
    for (let i = 0; i < 120; i++) acc.add(i % 2 ? 'd1|team' : 'd1|event', i, 50, 10_000);
    expect(out.map(([k, items]) => [k, items.length])).toEqual([['d1|event', 50], ['d1|team', 50]]);
    expect(acc.pending).toBe(20);
  });

  it('flushes a partial batch when the wait since its first event is over', () => {
    const out: number[][] = [];
    const acc = new BatchAccumulator<number>((_k, items) => out.push(items));
    acc.add('k', 1, 50, 10_000);
    jest.advanceTimersByTime(9_000);
    acc.add('k', 2, 50, 10_000);
    expect(out).toEqual([]);
    jest.advanceTimersByTime(1_000);
    expect(out).toEqual([[1, 2]]);
    acc.add('k', 3, 50, 10_000);
    acc.flushAll();
    expect(out).toEqual([[1, 2], [3]]);
    expect(acc.pending).toBe(0);
  });
});
