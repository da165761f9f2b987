import { EVENTS_VIEW } from '../store/duckdb/events-view.ts';
import type { DashboardQuery } from './dashboard-types.ts';
import { GROUP_KEYS } from './report-types.ts';
import type { RecordReportQuery } from './report-types.ts';
import { FILTER_COLUMNS, TOKEN_SUMS, UNPRICED_TOKENS, USAGE_PANELS, filterMatch } from './usage-panels.ts';
import type { PanelQuery } from './usage-panels.ts';

/**
 * The SQL behind `seatmeter report` and every panel of the local dashboard. The panels render the shared
 * definitions in usage-panels.ts over the local `events` view, exactly as the Grafana board renders them over
 * Timestream, so the page and the board show the same numbers.
 */
export interface Sql {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

const DAY = "strftime(make_timestamp(time_ms * 1000), '%Y-%m-%d')";

export function reportSql(query: RecordReportQuery): Sql {
  const keys = query.by.map((key) => (key === 'day' ? `${DAY} AS day` : GROUP_KEYS[key]));
  const groupBy = query.by.map((key) => GROUP_KEYS[key]);
  const select = [
    ...keys,
    ...TOKEN_SUMS,
    'CASE WHEN bool_or(estimated_cost_usd IS NULL) THEN NULL ELSE sum(estimated_cost_usd) END AS estimated_cost_usd',
    'sum(reported_cost_usd) AS reported_cost_usd',
    'count(DISTINCT session_id)::BIGINT AS sessions',
    UNPRICED_TOKENS,
    ...(query.spans === true ? ['min(time_ms)::BIGINT AS first_ms', 'max(time_ms)::BIGINT AS last_ms'] : []),
  ];
  const order = groupBy.length === 0 ? '' : ` GROUP BY ${groupBy.join(', ')} ORDER BY ${groupBy.map((c) => `${c} NULLS LAST`).join(', ')}`;
  return { sql: `SELECT ${select.join(',\n  ')} FROM usage WHERE time_ms >= ? AND time_ms < ?${order}`, params: [query.fromMs, query.toMs] };
}

/** The panel's kind, the [from, to) range and the page's filters; an empty filter list means all. */
function where(panel: PanelQuery, query: DashboardQuery): Sql {
  const clauses = ['measure_name = ?', 'time >= epoch_ms(CAST(? AS BIGINT))', 'time < epoch_ms(CAST(? AS BIGINT))'];
  const params: (string | number)[] = [panel.kind, query.fromMs, query.toMs];
  for (const [column, values] of [
    [FILTER_COLUMNS.user, query.users],
    [FILTER_COLUMNS.tool, query.tools],
    [FILTER_COLUMNS.team, query.teams],
  ] as const) {
    if (values.length === 0) continue;
    // An empty string selects records that do not name one.
    clauses.push(`${filterMatch(column)} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  return { sql: clauses.join(' AND '), params };
}

/** A panel as DuckDB SQL; a bucketed panel's bucket comes first as `time_ms`, epoch milliseconds. */
function panelSql(panel: PanelQuery, query: DashboardQuery, bucketMs = 0): Sql {
  const bucketed = panel.bucketed === true;
  const filter = where(panel, query);
  const groupBy = [...(bucketed ? ['1'] : []), ...(panel.groupBy ?? [])];
  const orderBy = [...(bucketed ? ['1'] : []), ...(panel.orderBy ?? [])];
  const columns = [...(bucketed ? ['(epoch_ms(time) // ?) * ? AS time_ms'] : []), ...panel.columns];
  return {
    sql: [
      `SELECT ${columns.join(', ')} FROM ${EVENTS_VIEW} WHERE ${filter.sql}`,
      ...(groupBy.length === 0 ? [] : [`GROUP BY ${groupBy.join(', ')}`]),
      ...(orderBy.length === 0 ? [] : [`ORDER BY ${orderBy.join(', ')}`]),
    ].join(' '),
    params: [...(bucketed ? [bucketMs, bucketMs] : []), ...filter.params],
  };
}

/** The values a filter can take in the range, records that name none as null. */
function filterOptions(column: string, query: DashboardQuery): Sql {
  return panelSql({ kind: 'usage', columns: [`DISTINCT ${column}`], orderBy: [column] }, query);
}

/** Bucket width for the rate chart: about 60 buckets over the range, rounded to a readable size. */
export function rateBucketMs(fromMs: number, toMs: number): number {
  const sizes = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];
  const wanted = (toMs - fromMs) / 60;
  return sizes.find((size) => size >= wanted) ?? 86_400_000;
}

export const dashboardSql = {
  overview: (q: DashboardQuery): Sql => panelSql(USAGE_PANELS.overview, q),
  developers: (q: DashboardQuery): Sql => panelSql(USAGE_PANELS.developers, q),
  rate: (q: DashboardQuery, bucketMs: number): Sql => panelSql(USAGE_PANELS.rate, q, bucketMs),
  byType: (q: DashboardQuery): Sql => panelSql(USAGE_PANELS.byType, q),
  byModel: (q: DashboardQuery): Sql => panelSql(USAGE_PANELS.byModel, q),
  matrix: (q: DashboardQuery): Sql => panelSql(USAGE_PANELS.matrix, q),
  users: (q: DashboardQuery): Sql => filterOptions(FILTER_COLUMNS.user, q),
  tools: (q: DashboardQuery): Sql => filterOptions(FILTER_COLUMNS.tool, q),
  teams: (q: DashboardQuery): Sql => filterOptions(FILTER_COLUMNS.team, q),
};
