import type { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { sqlString } from '../../rollup/day-usage-sql.ts';
import type { StoreDialect } from '../../rollup/day-usage-sql.ts';
import { columnsOf } from '../../records/schema.ts';
import type { RecordKind } from '../../records/schema.ts';
import { RECORD_ID_DIMENSION } from './layout.ts';
import { queryRows } from './query.ts';
import type { TimestreamTableNames } from './table-names.ts';

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SQL_TYPE = { string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE' } as const;

/**
 * The store dialect of a Timestream deployment. A multi-measure table has a column only once some record
 * carried it (a fleet that never sent `repo` has no `repo` column, and naming it fails the query), so each
 * table is asked which columns it has first, and a missing one reads as null.
 */
export async function timestreamDialect(client: TimestreamQueryClient, databaseName: string, tableNames: TimestreamTableNames): Promise<StoreDialect> {
  const tables = [...new Set(Object.values(tableNames))];
  const described = await Promise.all(
    tables.map(async (table) => {
      const rows = await queryRows(client, `DESCRIBE ${quoted(databaseName)}.${quoted(table)}`);
      return [table, new Set(rows.map((row) => String(row.Column)))] as const;
    }),
  );
  const columns = new Map(described);
  return {
    table: (kind) => `${quoted(databaseName)}.${quoted(tableNames[kind])}`,
    // The kind as measure name selects it in a shared table and costs nothing in a table of its own.
    where: (kind, fromMs, toMs) => `measure_name = ${sqlString(kind)} AND time >= from_milliseconds(${fromMs}) AND time < from_milliseconds(${toMs})`,
    timeFloor: (ms) => `to_milliseconds(bin(time, ${ms}ms))`,
    column: (kind: RecordKind, name) => {
      if (columns.get(tableNames[kind])?.has(name) === true) return name;
      const type = columnsOf(kind).find((column) => column.name === name)?.type ?? 'string';
      return `CAST(NULL AS ${SQL_TYPE[type]})`;
    },
    recordId: RECORD_ID_DIMENSION,
  };
}
