/**
 * Where each table's day lives, in the Hive layout Athena's partition projection reads:
 * `<table>/dt=YYYY-MM-DD/part-0.parquet`. One file per table and day, under a name that never changes, so a
 * re-run overwrites it instead of adding a second file that Athena would read as well.
 */
/** The day partition of every rollup table: a column in Athena, a path part in the bucket. */
export const DAY_PARTITION = 'dt';

export const ROLLUP_TABLES = ['team_usage', 'claude_code_analytics', 'claude_code_coverage'] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

export function tableFileKey(table: RollupTable, day: string): string {
  return `${table}/${DAY_PARTITION}=${day}/part-0.parquet`;
}

const TEAM_MAP_PREFIX = 'team_map/';

/** The user → team map a day was attributed with. */
export function teamMapKey(day: string): string {
  return `${TEAM_MAP_PREFIX}${DAY_PARTITION}=${day}/team_map.json`;
}

/** The map as of the latest run, for components that stamp `team` at ingest. */
export const LATEST_TEAM_MAP_KEY = `${TEAM_MAP_PREFIX}latest.json`;

/** Every key the rollup writes starts with one of these: what its write permission is limited to. */
export const ROLLUP_KEY_PREFIXES: readonly string[] = [...ROLLUP_TABLES.map((table) => `${table}/`), TEAM_MAP_PREFIX];
