import type { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { dayUsageFromRows } from '../../rollup/day-usage-rows.ts';
import { dayUsageSql } from '../../rollup/day-usage-sql.ts';
import type { DayUsage, DayUsageSource } from '../../rollup/types.ts';
import { timestreamDialect } from './dialect.ts';
import { queryRows } from './query.ts';
import type { TimestreamTableNames } from './table-names.ts';

export interface TimestreamDayUsageSourceOptions {
  /** Created once at module scope by the caller, so that the endpoint it discovered serves every invocation. */
  readonly client: TimestreamQueryClient;
  readonly databaseName: string;
  /** One `events` table for every kind, or a table each. */
  readonly tableNames: TimestreamTableNames;
}

/** Reads a day for the rollup out of Timestream, each table described first (see timestreamDialect). */
export class TimestreamDayUsageSource implements DayUsageSource {
  readonly #client: TimestreamQueryClient;
  readonly #databaseName: string;
  readonly #tableNames: TimestreamTableNames;

  constructor(options: TimestreamDayUsageSourceOptions) {
    this.#client = options.client;
    this.#databaseName = options.databaseName;
    this.#tableNames = options.tableNames;
  }

  async readDay(day: string): Promise<DayUsage> {
    const dialect = await timestreamDialect(this.#client, this.#databaseName, this.#tableNames);
    const sql = dayUsageSql(dialect, day);
    const [lines, sessions, activity] = await Promise.all([queryRows(this.#client, sql.lines), queryRows(this.#client, sql.sessions), queryRows(this.#client, sql.activity)]);
    return dayUsageFromRows({ lines, sessions, activity });
  }
}
