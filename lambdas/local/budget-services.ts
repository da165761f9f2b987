import type { BudgetServices } from '../http-answers/budget-answers.ts';
import { DuckDbAlertLedger } from '../store/duckdb/alert-ledger.ts';
import { DuckDbBudgetBook } from '../store/duckdb/budget-book.ts';
import type { LocalDatabase } from '../store/duckdb/database.ts';
import { DuckDbSpendSource } from '../store/duckdb/spend-reader.ts';
import { TeamMapFile, teamMapPath } from './team-map-file.ts';

/** The budgets of a data directory: its database's budgets and spend, its teams.json, and the clock. */
export function localBudgetServices(database: LocalDatabase, dataDir: string, now: () => number): BudgetServices {
  const teams = new TeamMapFile(teamMapPath(dataDir));
  return { book: new DuckDbBudgetBook(database), alerts: new DuckDbAlertLedger(database), spends: new DuckDbSpendSource(database), teams, now };
}
