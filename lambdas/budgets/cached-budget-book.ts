import type { BudgetBook } from './budget-book.ts';
import type { BudgetGrant } from './decision.ts';
import type { Budget } from './definition.ts';

/** How long the receiver answers decisions from budgets and grants it read: a change applies within this. */
export const BOOK_CACHE_MS = 15_000;

/**
 * A book whose reads are kept for BOOK_CACHE_MS: every tool call of every developer asks for a decision, and
 * budgets change a few times a month. Its own writes drop what it kept.
 */
export class CachedBudgetBook implements BudgetBook {
  readonly #book: BudgetBook;
  readonly #now: () => number;
  #budgets: { readonly atMs: number; readonly value: Promise<Budget[]> } | null = null;
  #grants: { readonly atMs: number; readonly value: Promise<BudgetGrant[]> } | null = null;

  constructor(book: BudgetBook, now: () => number = Date.now) {
    this.#book = book;
    this.#now = now;
  }

  budgets(): Promise<Budget[]> {
    const now = this.#now();
    if (this.#budgets === null || now - this.#budgets.atMs >= BOOK_CACHE_MS) {
      const value = this.#book.budgets();
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        this.#budgets = null;
      });
      this.#budgets = { atMs: now, value };
    }
    return this.#budgets.value;
  }

  grants(): Promise<BudgetGrant[]> {
    const now = this.#now();
    if (this.#grants === null || now - this.#grants.atMs >= BOOK_CACHE_MS) {
      const value = this.#book.grants();
      value.catch(() => {
        this.#grants = null;
      });
      this.#grants = { atMs: now, value };
    }
    return this.#grants.value;
  }

  async put(budget: Budget): Promise<void> {
    this.#budgets = null;
    await this.#book.put(budget);
  }

  async remove(name: string): Promise<boolean> {
    this.#budgets = null;
    this.#grants = null;
    return this.#book.remove(name);
  }

  async grant(grant: BudgetGrant, grantedAtMs: number): Promise<void> {
    this.#grants = null;
    await this.#book.grant(grant, grantedAtMs);
  }
}
