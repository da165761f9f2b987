import { PROBE_TOOL } from '../probe/constants.ts';
import type { RecordKind } from '../records/schema.ts';
import { TOKEN_FIELDS } from '../records/types.ts';
import { dayBounds } from './day.ts';
import { PRICING_SLOT_MS, TIER_STARTS } from './repricing.ts';
import { TEAM_ACTIVITY_METRICS } from './types.ts';

/**
 * The three queries that read a day out of the store, written once for the local database (DuckDB),
 * Timestream and the lake (Athena): all speak the SQL used here, and a dialect supplies only where records
 * are and how time and ids are held. Values are inlined (Timestream's query API takes no parameters); every
 * one is a number, a constant or text through `sqlString`.
 */
export interface StoreDialect {
  /** The table holding records of `kind`, quoted as the engine needs. */
  table(kind: RecordKind): string;
  /** The condition selecting `kind`'s records of [fromMs, toMs) in that table. */
  where(kind: RecordKind, fromMs: number, toMs: number): string;
  /** The record time, in epoch milliseconds, rounded down to a multiple of `ms`. */
  timeFloor(ms: number): string;
  /** The column as an expression: its name, or a null of its type where the table has never held it. */
  column(kind: RecordKind, name: string): string;
  /** The record id's column. */
  readonly recordId: string;
}

export interface DayUsageSql {
  readonly lines: string;
  readonly sessions: string;
  readonly activity: string;
}

const KEY = ['user_email', 'tool', 'model', 'repo', 'session_id'] as const;

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Which tier band a record's input size falls in: records in one band are in one tier for every model. */
function tierBand(dialect: StoreDialect): string {
  const input = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens'].map((c) => `coalesce(${dialect.column('usage', c)}, 0)`).join(' + ');
  const bands = [...TIER_STARTS].reverse().map((start, i) => `WHEN ${input} > ${start} THEN ${TIER_STARTS.length - i}`);
  return `CASE ${bands.join(' ')} ELSE 0 END`;
}

type Grouping = readonly (readonly [expression: string, alias: string])[];

function keyColumns(dialect: StoreDialect, kind: 'usage' | 'activity'): Grouping {
  return KEY.map((name) => [dialect.column(kind, name), name] as const);
}

/** Grouped by the expressions themselves, which every engine accepts (not all take select-list positions). */
function grouped(groups: Grouping, aggregates: readonly string[], from: string): string {
  const select = [...groups.map(([expression, alias]) => `${expression} AS ${alias}`), ...aggregates];
  return `SELECT ${select.join(', ')} ${from} GROUP BY ${groups.map(([expression]) => expression).join(', ')}`;
}

export function dayUsageSql(dialect: StoreDialect, day: string): DayUsageSql {
  const { fromMs, toMs } = dayBounds(day);
  const from = (kind: 'usage' | 'activity') =>
    `FROM ${dialect.table(kind)} WHERE ${dialect.where(kind, fromMs, toMs)} AND ${dialect.column(kind, 'tool')} <> ${sqlString(PROBE_TOOL)}`;
  const sums = TOKEN_FIELDS.map((c) => `CAST(coalesce(sum(${dialect.column('usage', c)}), 0) AS BIGINT) AS ${c}`);
  const lineGroups: Grouping = [...keyColumns(dialect, 'usage'), [dialect.timeFloor(PRICING_SLOT_MS), 'time_ms'], [tierBand(dialect), 'tier_band']];
  const metric = dialect.column('activity', 'metric');
  const metrics = TEAM_ACTIVITY_METRICS.map(sqlString).join(', ');
  return {
    lines: grouped(lineGroups, [...sums, `sum(${dialect.column('usage', 'reported_cost_usd')}) AS reported_cost_usd`], from('usage')),
    sessions: grouped(
      keyColumns(dialect, 'usage'),
      [`min(${dialect.timeFloor(1)}) AS first_ms`, `max(${dialect.timeFloor(1)}) AS last_ms`],
      `${from('usage')} AND ${dialect.column('usage', 'session_id')} IS NOT NULL`,
    ),
    activity: grouped(
      [...keyColumns(dialect, 'activity'), [metric, 'metric']],
      [`sum(${dialect.column('activity', 'value')}) AS value`],
      `${from('activity')} AND ${metric} IN (${metrics})`,
    ),
  };
}
