import type { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { dayUsageFromRows } from '../../rollup/day-usage-rows.ts';
import { dayUsageSql, sqlString } from '../../rollup/day-usage-sql.ts';
import type { StoreDialect } from '../../rollup/day-usage-sql.ts';
import type { DayUsage, DayUsageSource } from '../../rollup/types.ts';
import { columnsOf } from '../../records/schema.ts';
import { queryRows } from './query.ts';
import type { TimestreamTableNames } from './table-names.ts';

export interface TimestreamDayUsageSourceOptions {
  /** Created once at module scope by the caller, so that the endpoint it discovered serves every invocation. */
  readonly client: TimestreamQueryClient;
  readonly databaseName: string;
  /** One `events` table for every kind, or a table each. */
  readonly tableNames: Pick<TimestreamTableNames, 'usage' | 'activity'>;
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SQL_TYPE = { string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE' } as const;

/**
 * Reads a day for the rollup out of Timestream. A multi-measure table has a column only once some record
 * carried it (a fleet that never sent `repo` has no `repo` column, and naming it fails the query), so the
 * reader first asks each table which columns it has and reads a missing one as null.
 */
export class TimestreamDayUsageSource implements DayUsageSource {
  readonly #client: TimestreamQueryClient;
  readonly #databaseName: string;
  readonly #tableNames: Pick<TimestreamTableNames, 'usage' | 'activity'>;

  constructor(options: TimestreamDayUsageSourceOptions) {
    this.#client = options.client;
    this.#databaseName = options.databaseName;
    this.#tableNames = options.tableNames;
  }

  async readDay(day: string): Promise<DayUsage> {
    const dialect = await this.#dialect();
    const sql = dayUsageSql(dialect, day);
    const [lines, sessions, activity] = await Promise.all([queryRows(this.#client, sql.lines), queryRows(this.#client, sql.sessions), queryRows(this.#client, sql.activity)]);
    return dayUsageFromRows({ lines, sessions, activity });
  }

  #table(kind: 'usage' | 'activity'): string {
    return `${quoted(this.#databaseName)}.${quoted(this.#tableNames[kind])}`;
  }

  async #dialect(): Promise<StoreDialect> {
    const tables = [...new Set([this.#tableNames.usage, this.#tableNames.activity])];
    const described = await Promise.all(tables.map(async (table) => [table, await this.#columns(table)] as const));
    const columns = new Map(described);
    return {
      table: (kind) => this.#table(kind),
      // The kind as measure name selects it in a shared table and costs nothing in a table of its own.
      where: (kind, fromMs, toMs) => `measure_name = ${sqlString(kind)} AND time >= from_milliseconds(${fromMs}) AND time < from_milliseconds(${toMs})`,
      timeFloor: (ms) => `to_milliseconds(bin(time, ${ms}ms))`,
      column: (kind, name) => {
        if (columns.get(this.#tableNames[kind])?.has(name) === true) return name;
        const type = columnsOf(kind).find((column) => column.name === name)?.type ?? 'string';
        return `CAST(NULL AS ${SQL_TYPE[type]})`;
      },
    };
  }

  async #columns(table: string): Promise<Set<string>> {
    const rows = await queryRows(this.#client, `DESCRIBE ${quoted(this.#databaseName)}.${quoted(table)}`);
    return new Set(rows.map((row) => String(row.Column)));
  }
}
