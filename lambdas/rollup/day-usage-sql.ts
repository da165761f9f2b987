import { PROBE_TOOL } from '../records/probe.ts';
import { TOKEN_COLUMNS } from '../report/usage-sql.ts';
import { dayBounds } from './day.ts';
import { PRICING_SLOT_MS, TIER_STARTS } from './repricing.ts';
import { TEAM_ACTIVITY_METRICS } from './types.ts';

/**
 * The three queries that read a day out of the store, written once for the local database (DuckDB) and
 * Timestream: both speak the SQL used here, and a dialect supplies only where records are and how time is
 * held. Values are inlined (Timestream's query API takes no parameters); every one is a number or a constant.
 */
export interface StoreDialect {
  /** The table holding records of `kind`, quoted as the engine needs. */
  table(kind: 'usage' | 'activity'): string;
  /** The condition selecting `kind`'s records of [fromMs, toMs) in that table. */
  where(kind: 'usage' | 'activity', fromMs: number, toMs: number): string;
  /** The record time, in epoch milliseconds, rounded down to a multiple of `ms`. */
  timeFloor(ms: number): string;
  /** The column as an expression: its name, or a null of its type where the table has never held it. */
  column(kind: 'usage' | 'activity', name: string): string;
}

export interface DayUsageSql {
  readonly lines: string;
  readonly sessions: string;
  readonly activity: string;
}

const KEY = ['user_email', 'tool', 'model', 'repo'] as const;

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Which tier band a record's input size falls in: records in one band are in one tier for every model. */
function tierBand(dialect: StoreDialect): string {
  const input = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens'].map((c) => `coalesce(${dialect.column('usage', c)}, 0)`).join(' + ');
  const bands = [...TIER_STARTS].reverse().map((start, i) => `WHEN ${input} > ${start} THEN ${TIER_STARTS.length - i}`);
  return `CASE ${bands.join(' ')} ELSE 0 END`;
}

function keyColumns(dialect: StoreDialect, kind: 'usage' | 'activity'): string[] {
  return KEY.map((name) => `${dialect.column(kind, name)} AS ${name}`);
}

function ordinals(count: number): string {
  return Array.from({ length: count }, (_, i) => i + 1).join(', ');
}

export function dayUsageSql(dialect: StoreDialect, day: string): DayUsageSql {
  const { fromMs, toMs } = dayBounds(day);
  const from = (kind: 'usage' | 'activity') =>
    `FROM ${dialect.table(kind)} WHERE ${dialect.where(kind, fromMs, toMs)} AND ${dialect.column(kind, 'tool')} <> ${sqlString(PROBE_TOOL)}`;
  const sums = TOKEN_COLUMNS.map((c) => `CAST(coalesce(sum(${dialect.column('usage', c)}), 0) AS BIGINT) AS ${c}`);
  const lineGroup = [...keyColumns(dialect, 'usage'), `${dialect.timeFloor(PRICING_SLOT_MS)} AS time_ms`, `${tierBand(dialect)} AS tier_band`];
  const metric = dialect.column('activity', 'metric');
  const metrics = TEAM_ACTIVITY_METRICS.map(sqlString).join(', ');
  return {
    lines: `SELECT ${[...lineGroup, ...sums, `sum(${dialect.column('usage', 'reported_cost_usd')}) AS reported_cost_usd`].join(', ')} ${from('usage')} GROUP BY ${ordinals(lineGroup.length)}`,
    sessions: `SELECT ${[...keyColumns(dialect, 'usage'), `count(DISTINCT ${dialect.column('usage', 'session_id')}) AS sessions`].join(', ')} ${from('usage')} GROUP BY ${ordinals(KEY.length)}`,
    activity: `SELECT ${[...keyColumns(dialect, 'activity'), `${metric} AS metric`, `sum(${dialect.column('activity', 'value')}) AS value`].join(', ')} ${from('activity')} AND ${metric} IN (${metrics}) GROUP BY ${ordinals(KEY.length + 1)}`,
  };
}
