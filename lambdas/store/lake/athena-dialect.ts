import type { StoreDialect } from '../../rollup/day-usage-sql.ts';
import { sqlString } from '../../rollup/day-usage-sql.ts';
import { LAKE_PARTITION, quotedLakeView } from './layout.ts';
import { dayOf } from '../../rollup/day.ts';

/**
 * The rollup's day queries on the lake's view: every column exists there (NULL where a kind has none). The
 * `dt` bounds are what prune the scan to the day's files; `time_ms` keeps the exact range.
 */
export function lakeDialect(database: string): StoreDialect {
  return {
    table: () => quotedLakeView(database),
    where: (kind, fromMs, toMs) =>
      `measure_name = ${sqlString(kind)} AND ${LAKE_PARTITION} BETWEEN ${sqlString(dayOf(fromMs))} AND ${sqlString(dayOf(toMs - 1))} AND time_ms >= ${fromMs} AND time_ms < ${toMs}`,
    timeFloor: (ms) => `CAST(floor(time_ms / ${ms}e0) * ${ms} AS BIGINT)`,
    column: (_kind, name) => name,
    recordId: 'record_id',
  };
}
