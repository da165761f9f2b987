import type { ColumnType } from '../records/schema.ts';
import type { AnalyticsRow, CoverageRow, TeamUsageRow } from './types.ts';

/**
 * The Parquet (and Athena) layout of each rollup table, in column order. Only Athena-safe types: BIGINT,
 * DOUBLE, STRING; the day is the `dt` partition, never a column. The Glue tables are declared from these too.
 */
export interface TableColumn<Row> {
  readonly name: keyof Row & string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

const text = <Row>(name: keyof Row & string, nullable = false): TableColumn<Row> => ({ name, type: 'string', nullable });
const count = <Row>(name: keyof Row & string): TableColumn<Row> => ({ name, type: 'bigint', nullable: false });
const amount = <Row>(name: keyof Row & string, nullable = true): TableColumn<Row> => ({ name, type: 'double', nullable });

export const TEAM_USAGE_COLUMNS: readonly TableColumn<TeamUsageRow>[] = [
  text('team'),
  text('user_email', true),
  text('tool'),
  text('model', true),
  text('repo', true),
  text('feature'),
  count('input_tokens'),
  count('cache_read_tokens'),
  count('cache_write_tokens'),
  count('output_tokens'),
  count('reasoning_tokens'),
  amount('estimated_cost_usd'),
  amount('reported_cost_usd'),
  text('price_version', true),
  count('sessions'),
  count('unpriced_tokens'),
  count('requests'),
  count('lines_added'),
  count('lines_removed'),
  count('commits'),
  count('pull_requests'),
  amount('active_time_s', false),
];

export const COVERAGE_COLUMNS: readonly TableColumn<CoverageRow>[] = [
  text('user_email'),
  text('team'),
  text('coverage'),
  count('telemetry_tokens'),
  amount('telemetry_estimated_cost_usd'),
  count('analytics_tokens'),
  amount('analytics_estimated_cost_usd'),
  amount('drift_ratio'),
  amount('cost_drift_ratio'),
];

export const ANALYTICS_COLUMNS: readonly TableColumn<AnalyticsRow>[] = [
  text('actor_type'),
  text('user_email', true),
  text('api_key_name', true),
  text('team', true),
  text('customer_type'),
  text('model', true),
  count('input_tokens'),
  count('cache_read_tokens'),
  count('cache_write_tokens'),
  count('output_tokens'),
  amount('estimated_cost_usd'),
  count('sessions'),
  count('lines_added'),
  count('lines_removed'),
  count('commits'),
  count('pull_requests'),
];
