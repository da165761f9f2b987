import type { BudgetBook } from '../../budgets/budget-book.ts';
import type { BudgetGrant } from '../../budgets/decision.ts';
import { budgetJson, parseBudget } from '../../budgets/definition.ts';
import type { Budget } from '../../budgets/definition.ts';
import type { LocalDatabase } from './database.ts';

/** Budgets and grants in the local database, beside the usage they limit. */
export class DuckDbBudgetBook implements BudgetBook {
  readonly #database: LocalDatabase;

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  async budgets(): Promise<Budget[]> {
    const rows = await this.#database.query('SELECT name, definition FROM budgets ORDER BY name');
    return rows.map((row) => parseBudget(JSON.parse(String(row.definition)), `stored budget "${String(row.name)}"`));
  }

  put(budget: Budget): Promise<void> {
    return this.#database.transaction(async (connection) => {
      await connection.run('INSERT OR REPLACE INTO budgets VALUES (?, ?)', [budget.name, JSON.stringify(budgetJson(budget))]);
    });
  }

  async remove(name: string): Promise<boolean> {
    return this.#database.transaction(async (connection) => {
      const removed = await connection.runAndReadAll('DELETE FROM budgets WHERE name = ? RETURNING name', [name]);
      await connection.run('DELETE FROM budget_grants WHERE target = ?', [name]);
      return removed.getRows().length > 0;
    });
  }

  async grants(): Promise<BudgetGrant[]> {
    const rows = await this.#database.query('SELECT target, until_ms, extra_usd, granted_by, reason FROM budget_grants ORDER BY granted_at_ms');
    return rows.map((row) => ({
      target: String(row.target),
      untilMs: Number(row.until_ms),
      extraUsd: row.extra_usd === null ? null : Number(row.extra_usd),
      grantedBy: String(row.granted_by),
      reason: String(row.reason),
    }));
  }

  grant(grant: BudgetGrant, grantedAtMs: number): Promise<void> {
    return this.#database.transaction(async (connection) => {
      await connection.run('INSERT INTO budget_grants VALUES (?, ?, ?, ?, ?, ?)', [grant.target, grant.untilMs, grant.extraUsd, grant.grantedBy, grant.reason, grantedAtMs]);
    });
  }
}
