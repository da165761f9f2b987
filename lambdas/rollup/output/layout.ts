/**
 * Where each table's day lives, in the Hive layout Athena's partition projection reads:
 * `<table>/dt=YYYY-MM-DD/part-0.parquet`. One file per table and day, under a name that never changes, so a
 * re-run overwrites it instead of adding a second file that Athena would read as well.
 */
export const ROLLUP_TABLES = ['team_usage', 'claude_code_analytics', 'claude_code_coverage'] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

export function tableFileKey(table: RollupTable, day: string): string {
  return `${table}/dt=${day}/part-0.parquet`;
}

/** The user → team map a day was attributed with. */
export function teamMapKey(day: string): string {
  return `team_map/dt=${day}/team_map.json`;
}

/** The map as of the latest run, for components that stamp `team` at ingest. */
export const LATEST_TEAM_MAP_KEY = 'team_map/latest.json';
