import type { BudgetBook } from './budget-book.ts';
import type { BudgetGrant } from './decision.ts';
import type { Budget } from './definition.ts';

/** How long the receiver answers decisions from budgets and grants it read: a change applies within this. */
export const BOOK_CACHE_MS = 15_000;

/** One read kept for BOOK_CACHE_MS; a read that fails is dropped, so the next request tries again. */
class KeptRead<T> {
  readonly #read: () => Promise<T>;
  readonly #now: () => number;
  #kept: { readonly atMs: number; readonly value: Promise<T> } | null = null;

  constructor(read: () => Promise<T>, now: () => number) {
    this.#read = read;
    this.#now = now;
  }

  get(): Promise<T> {
    const now = this.#now();
    if (this.#kept === null || now - this.#kept.atMs >= BOOK_CACHE_MS) {
      const value = this.#read();
      const kept = { atMs: now, value };
      value.catch(() => {
        if (this.#kept === kept) this.#kept = null;
      });
      this.#kept = kept;
    }
    return this.#kept.value;
  }

  drop(): void {
    this.#kept = null;
  }
}

/**
 * A book whose reads are kept for BOOK_CACHE_MS: every tool call of every developer asks for a decision, and
 * budgets change a few times a month. Its own writes drop what it kept.
 */
export class CachedBudgetBook implements BudgetBook {
  readonly #book: BudgetBook;
  readonly #budgets: KeptRead<Budget[]>;
  readonly #grants: KeptRead<BudgetGrant[]>;

  constructor(book: BudgetBook, now: () => number = Date.now) {
    this.#book = book;
    this.#budgets = new KeptRead(() => book.budgets(), now);
    this.#grants = new KeptRead(() => book.grants(), now);
  }

  budgets(): Promise<Budget[]> {
    return this.#budgets.get();
  }

  grants(): Promise<BudgetGrant[]> {
    return this.#grants.get();
  }

  async put(budget: Budget): Promise<void> {
    this.#budgets.drop();
    await this.#book.put(budget);
  }

  async remove(name: string): Promise<boolean> {
    this.#budgets.drop();
    this.#grants.drop();
    return this.#book.remove(name);
  }

  async grant(grant: BudgetGrant, grantedAtMs: number): Promise<void> {
    this.#grants.drop();
    await this.#book.grant(grant, grantedAtMs);
  }
}
