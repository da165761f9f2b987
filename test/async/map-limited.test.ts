import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../lambdas/async/map-limited.ts';

/** A task per item that resolves only when the test says so, to observe how many run at once. */
function gatedTasks() {
  const gates = new Map<number, () => void>();
  let running = 0;
  let mostAtOnce = 0;
  const started: number[] = [];
  const task = async (item: number) => {
    started.push(item);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise<void>((resolve) => gates.set(item, resolve));
    running -= 1;
    if (item < 0) throw new Error(`item ${item} failed`);
    return item * 10;
  };
  const release = async (item: number) => {
    gates.get(item)?.();
    // Let the worker take its next item before the test looks.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { task, release, started, mostAtOnce: () => mostAtOnce };
}

describe('mapLimited', () => {
  it('runs at most `limit` tasks at once and returns results in item order', async () => {
    const { task, release, started, mostAtOnce } = gatedTasks();
    const result = mapLimited([1, 2, 3, 4], 2, task);
    expect(started).toEqual([1, 2]);
    await release(2);
    expect(started).toEqual([1, 2, 3]);
    await release(1);
    await release(3);
    await release(4);
    expect(await result).toEqual([10, 20, 30, 40]);
    expect(mostAtOnce()).toBe(2);
  });

  it('starts nothing new once a task failed, and rejects with that failure', async () => {
    const { task, release, started } = gatedTasks();
    const result = mapLimited([-1, 2, 3, 4], 2, task);
    const outcome = result.catch((error: unknown) => error);
    await release(-1);
    await release(2);
    expect(await outcome).toEqual(new Error('item -1 failed'));
    expect(started).toEqual([-1, 2]);
  });

  it('returns nothing for no items', async () => {
    expect(await mapLimited([], 4, () => Promise.resolve(1))).toEqual([]);
  });
});
