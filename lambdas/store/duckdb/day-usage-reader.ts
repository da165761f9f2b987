import { dayUsageFromRows } from '../../rollup/day-usage-rows.ts';
import { dayUsageSql } from '../../rollup/day-usage-sql.ts';
import type { StoreDialect } from '../../rollup/day-usage-sql.ts';
import type { DayUsage, DayUsageSource } from '../../rollup/types.ts';
import type { LocalDatabase } from './database.ts';

/** The local database keeps a table per kind with every schema column, and the time as `time_ms`. */
export const DUCKDB: StoreDialect = {
  table: (kind) => kind,
  where: (_kind, fromMs, toMs) => `time_ms >= ${fromMs} AND time_ms < ${toMs}`,
  timeFloor: (ms) => `(time_ms // ${ms}) * ${ms}`,
  column: (_kind, name) => name,
  recordId: 'id',
};

/** Reads a day for the rollup out of the local database. */
export class DuckDbDayUsageSource implements DayUsageSource {
  readonly #database: LocalDatabase;

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  async readDay(day: string): Promise<DayUsage> {
    const sql = dayUsageSql(DUCKDB, day);
    const [lines, sessions, activity] = await Promise.all([this.#database.query(sql.lines), this.#database.query(sql.sessions), this.#database.query(sql.activity)]);
    return dayUsageFromRows({ lines, sessions, activity });
  }
}
