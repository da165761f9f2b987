import { RECORD_KINDS, columnsOf } from '../../records/schema.ts';
import type { ColumnType } from '../../records/schema.ts';
import type { CanonicalRecord } from '../../records/types.ts';
import { dayOf } from '../../rollup/day.ts';

/**
 * The lake's one table, `events_raw`: every record kind in one relation, as the Timestream one-table layout and
 * the local `events` view hold them, so the same SQL reads all three. `measure_name` is the kind, `record_id`
 * the record's id, `time_ms` its time; each kind's columns, NULL where a kind has none; partitioned by `dt`, the
 * UTC day of `time_ms` (a record's day never changes, so a repeat lands in its original's partition).
 */
export interface LakeColumn {
  readonly name: string;
  readonly type: ColumnType;
}

const FIXED: readonly LakeColumn[] = [
  { name: 'measure_name', type: 'string' },
  { name: 'record_id', type: 'string' },
  { name: 'time_ms', type: 'bigint' },
];

function unionColumns(): LakeColumn[] {
  const columns = new Map<string, ColumnType>();
  for (const kind of RECORD_KINDS) {
    for (const column of columnsOf(kind)) {
      if (column.name === 'id' || column.name === 'time_ms') continue;
      const known = columns.get(column.name);
      if (known !== undefined && known !== column.type) throw new Error(`canonical schema: ${column.name} is ${known} in one kind and ${column.type} in another`);
      columns.set(column.name, column.type);
    }
  }
  return [...columns].map(([name, type]) => ({ name, type }));
}

export const LAKE_COLUMNS: readonly LakeColumn[] = [...FIXED, ...unionColumns()];
export const LAKE_PARTITION = 'dt';
export const LAKE_RAW_TABLE = 'events_raw';
export const LAKE_VIEW = 'events';

/** The view in `database`, quoted for Athena (and DuckDB, which quotes alike). */
export const quotedLakeView = (database: string): string => `"${database.replaceAll('"', '""')}"."${LAKE_VIEW}"`;


export type LakeRow = Readonly<Record<string, string | number | null>>;

/**
 * A record as one JSON row of the table, its partition value included (Firehose takes the partition from `dt`
 * and drops nothing else). Empty strings become NULL, as Timestream and the local view read them.
 */
export function lakeRow(record: CanonicalRecord): LakeRow {
  const values = record as unknown as Readonly<Record<string, unknown>>;
  const row: Record<string, string | number | null> = { measure_name: record.kind, record_id: record.id, time_ms: record.time_ms };
  for (const column of LAKE_COLUMNS.slice(FIXED.length)) {
    const value = values[column.name];
    row[column.name] = value === undefined || value === null || value === '' ? null : (value as string | number);
  }
  row[LAKE_PARTITION] = dayOf(record.time_ms);
  return row;
}

/**
 * The view every reader queries (Athena SQL): one row per record id, however many times at-least-once delivery
 * stored it (client retries, Lambda retries, archive replays), with `time` a timestamp as the other stores
 * have it. `dt` is in the window's partition, so a query's day filter is pushed into the scan: a day's query
 * reads that day's files only.
 */
export function lakeViewSql(database: string, toTimestamp: (millis: string) => string = (millis) => `from_unixtime(${millis} / 1000e0)`): string {
  const columns = LAKE_COLUMNS.filter((column) => column.name !== 'time_ms').map((column) => column.name);
  return [
    `CREATE OR REPLACE VIEW ${database}.${LAKE_VIEW} AS`,
    `SELECT ${columns.join(', ')}, time_ms, ${toTimestamp('time_ms')} AS time, ${LAKE_PARTITION}`,
    `FROM (SELECT *, row_number() OVER (PARTITION BY ${LAKE_PARTITION}, record_id ORDER BY time_ms) AS copy FROM ${database}.${LAKE_RAW_TABLE})`,
    'WHERE copy = 1',
  ].join('\n');
}
