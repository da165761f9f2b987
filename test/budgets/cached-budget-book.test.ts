import { describe, expect, it } from 'vitest';
import type { BudgetBook } from '../../lambdas/budgets/budget-book.ts';
import { BOOK_CACHE_MS, CachedBudgetBook } from '../../lambdas/budgets/cached-budget-book.ts';
import { parseBudget } from '../../lambdas/budgets/definition.ts';
import type { Budget } from '../../lambdas/budgets/definition.ts';

/** A book that counts its reads and can be told to fail the next one. */
function countingBook() {
  const stored: Budget[] = [];
  const reads = { budgets: 0, grants: 0 };
  let failNext = false;
  const book: BudgetBook = {
    budgets: async () => {
      reads.budgets += 1;
      if (failNext) {
        failNext = false;
        throw new Error('ThrottlingException');
      }
      return [...stored];
    },
    grants: async () => {
      reads.grants += 1;
      return [];
    },
    put: async (budget) => void stored.push(budget),
    remove: async () => true,
    grant: async () => undefined,
  };
  return { book, reads, fail: () => (failNext = true) };
}

describe('CachedBudgetBook', () => {
  it('reads budgets and grants once per interval, and again after its own write', async () => {
    const { book, reads } = countingBook();
    const clock = { now: 0 };
    const cached = new CachedBudgetBook(book, () => clock.now);
    await Promise.all([cached.budgets(), cached.budgets(), cached.grants()]);
    clock.now = BOOK_CACHE_MS - 1;
    await cached.budgets();
    expect(reads).toEqual({ budgets: 1, grants: 1 });
    await cached.put(parseBudget({ name: 'org', scope: 'org', period: 'day', limit_usd: 1 }));
    expect((await cached.budgets()).map((budget) => budget.name)).toEqual(['org']);
    clock.now = 2 * BOOK_CACHE_MS;
    await cached.grants();
    expect(reads).toEqual({ budgets: 2, grants: 2 });
  });

  it('keeps no failed read: the next request reads again', async () => {
    const { book, reads, fail } = countingBook();
    const cached = new CachedBudgetBook(book, () => 0);
    fail();
    await expect(cached.budgets()).rejects.toThrow('ThrottlingException');
    expect(await cached.budgets()).toEqual([]);
    expect(reads.budgets).toBe(2);
  });
});
