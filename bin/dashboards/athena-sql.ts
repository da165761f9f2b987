import type { PanelQuery } from '../../lambdas/report/usage-panels.ts';
import { LAKE_PARTITION, LAKE_VIEW } from '../../lambdas/store/lake/layout.ts';
import { BUCKET_COLUMN, FILTER_VARIABLES, nullGroupLabel } from './timestream-sql.ts';

/** The Amazon Athena data source (grafana-athena-datasource). */
export const ATHENA_PLUGIN = 'grafana-athena-datasource';
/** Its query model's `format` (grafana/sqlds): 0 time series, 1 table. */
export const ATHENA_FORMAT = { timeSeries: 0, table: 1 } as const;

/**
 * The range of the dashboard on the lake's view: `$__timeFilter(time)` for the exact range, and the same range
 * on the `dt` partition (constants once Grafana has expanded the macros) so Athena reads only those days.
 */
const RANGE = `$__timeFilter(time)\n  AND ${LAKE_PARTITION} BETWEEN date_format($__timeFrom(), '%Y-%m-%d') AND date_format($__timeTo(), '%Y-%m-%d')`;
/** A bucket of the panel's resolution: the plugin's `$__timeGroup` on the view's timestamp. */
const BUCKET = "$__timeGroup(time, '$__interval')";

function labelled(column: string, groupBy: readonly string[]): string {
  return groupBy.includes(column) ? `coalesce(${column}, '${nullGroupLabel(column)}') AS ${column}` : column;
}

/**
 * The shared panel definitions (lambdas/report/usage-panels.ts) for the Grafana Athena data source, over the
 * lake's deduplicating `events` view in the data source's default database: the same columns, filters and
 * groups as the Timestream board, so the two boards show the same numbers.
 */
export function athenaSql(panel: PanelQuery): string {
  const bucketed = panel.bucketed === true;
  const columns = [...(bucketed ? [`${BUCKET} AS ${BUCKET_COLUMN}`] : []), ...panel.columns.map((column) => labelled(column, panel.groupBy ?? []))];
  const conditions = [`measure_name = '${panel.kind}'`, RANGE, ...FILTER_VARIABLES.map((variable) => `${variable.match} IN (\${${variable.name}:sqlstring})`)];
  const groupBy = [...(bucketed ? [BUCKET] : []), ...(panel.groupBy ?? [])];
  const orderBy = [...(bucketed ? [`${BUCKET_COLUMN} ASC`] : []), ...(panel.orderBy ?? [])];
  return [
    `SELECT ${columns.join(',\n  ')}`,
    `FROM ${LAKE_VIEW}`,
    `WHERE ${conditions.join('\n  AND ')}`,
    ...(groupBy.length === 0 ? [] : [`GROUP BY ${groupBy.join(', ')}`]),
    ...(orderBy.length === 0 ? [] : [`ORDER BY ${orderBy.join(', ')}`]),
  ].join('\n');
}

/** A filter variable's options: the values reported in the dashboard's range. */
export function athenaOptionsSql(column: string): string {
  return [`SELECT DISTINCT ${column}`, `FROM ${LAKE_VIEW}`, `WHERE measure_name = 'usage'\n  AND ${RANGE}\n  AND ${column} IS NOT NULL`, `ORDER BY ${column}`].join('\n');
}
