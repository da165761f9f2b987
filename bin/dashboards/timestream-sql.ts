import { FILTER_COLUMNS, filterMatch } from '../../lambdas/report/usage-panels.ts';
import type { PanelQuery } from '../../lambdas/report/usage-panels.ts';

/**
 * The shared panel definitions (lambdas/report/usage-panels.ts) as raw SQL for the Grafana Timestream data
 * source. The table is the data source's (`$__database.$__table`, the one-table layout), the range the
 * dashboard's (`$__timeFilter`), a bucket the panel's resolution (`bin(time, $__interval_ms)`); the record
 * kind is always in WHERE, which is also what lets Timestream prune partitions.
 */

/** The board's filter variables, named like the shared filters, each compared with the column it filters. */
export const FILTER_VARIABLES = Object.entries(FILTER_COLUMNS).map(([name, column]) => ({ name, column, match: filterMatch(column) }));

/**
 * The condition a filter variable adds. `sqlstring` quotes and escapes every chosen value; "All" inserts the
 * variable's custom all value as it is, unformatted, and that value is the compared expression itself, so the
 * condition holds for every record — records that name no value included, which `IN` of the listed values
 * would drop.
 */
function filterCondition(variable: (typeof FILTER_VARIABLES)[number]): string {
  return `${variable.match} IN (\${${variable.name}:sqlstring})`;
}

/**
 * What the board calls a group of records that report no value (the local page's words for a user). Grafana
 * gets a label, not NULL: its time-series format turns every group into a series named by its values and
 * fails on a NULL one, and a NULL bar or table cell reads as blank.
 */
const NULL_GROUP_LABELS: Readonly<Record<string, string>> = { user_email: '(no identity)' };
const NULL_GROUP_LABEL = '(not reported)';

export function nullGroupLabel(column: string): string {
  return NULL_GROUP_LABELS[column] ?? NULL_GROUP_LABEL;
}

function labelled(column: string, groupBy: readonly string[]): string {
  return groupBy.includes(column) ? `coalesce(${column}, '${nullGroupLabel(column)}') AS ${column}` : column;
}

const BUCKET = 'bin(time, $__interval_ms)';
/** What a bucketed panel calls its time column; Grafana's time series format wants it ascending. */
export const BUCKET_COLUMN = 'binned_time';

export function timestreamSql(panel: PanelQuery): string {
  const bucketed = panel.bucketed === true;
  const columns = [...(bucketed ? [`${BUCKET} AS ${BUCKET_COLUMN}`] : []), ...panel.columns.map((column) => labelled(column, panel.groupBy ?? []))];
  const conditions = [`measure_name = '${panel.kind}'`, '$__timeFilter', ...FILTER_VARIABLES.map(filterCondition)];
  const groupBy = [...(bucketed ? [BUCKET] : []), ...(panel.groupBy ?? [])];
  const orderBy = [...(bucketed ? [`${BUCKET_COLUMN} ASC`] : []), ...(panel.orderBy ?? [])];
  return [
    `SELECT ${columns.join(',\n  ')}`,
    'FROM $__database.$__table',
    `WHERE ${conditions.join('\n  AND ')}`,
    ...(groupBy.length === 0 ? [] : [`GROUP BY ${groupBy.join(', ')}`]),
    ...(orderBy.length === 0 ? [] : [`ORDER BY ${orderBy.join(', ')}`]),
  ].join('\n');
}

/** The options of a filter variable: the values reported in the dashboard's range. */
export function filterOptionsSql(column: string): string {
  return [
    `SELECT DISTINCT ${column}`,
    'FROM $__database.$__table',
    `WHERE measure_name = 'usage'\n  AND $__timeFilter\n  AND ${column} IS NOT NULL`,
    `ORDER BY ${column}`,
  ].join('\n');
}
