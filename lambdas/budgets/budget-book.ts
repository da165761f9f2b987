import type { BudgetGrant } from './decision.ts';
import type { Budget } from './definition.ts';

/** Where budgets and their grants are kept: the local database, or the deployed stack's table. */
export interface BudgetBook {
  budgets(): Promise<Budget[]>;
  /** Adds the budget, or replaces the one of its name. */
  put(budget: Budget): Promise<void>;
  /** False when no budget has that name. */
  remove(name: string): Promise<boolean>;
  grants(): Promise<BudgetGrant[]>;
  grant(grant: BudgetGrant, grantedAtMs: number): Promise<void>;
}
