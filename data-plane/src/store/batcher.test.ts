import { Batcher } from './batcher';

describe('batcher', () => {
  it('answers calls made close together with one run, each with its own result', async () => {
    const runs: number[][] = [];
    const b = new Batcher<number, number>(async (xs) => {
      runs.push(xs);
      return xs.map((x) => x * 2);
    }, 5);
    expect(await Promise.all([b.add(1), b.add(2), b.add(3)])).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('runs at once when the batch is full, and fails every caller of a failed run', async () => {
    const runs: number[][] = [];
    const b = new Batcher<number, number>(async (xs) => {
      runs.push(xs);
      if (xs.includes(4)) throw new Error('database away');
      return xs;
    }, 1_000, 2);
    await Promise.all([b.add(1), b.add(2)]);
    expect(runs).toEqual([[1, 2]]);
    await expect(Promise.all([b.add(3), b.add(4)])).rejects.toThrow('database away');
  });
});
