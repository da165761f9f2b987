import type { RecordKind } from '../records/schema.ts';
import { TOKEN_FIELDS } from '../records/types.ts';

/**
 * What each number on the team board means, written once. The local dashboard (lambdas/report/usage-sql.ts)
 * and the Grafana board (bin/dashboards/, generated into dashboards/grafana/) both render these definitions;
 * neither writes a measure of its own, so the two cannot drift apart.
 *
 * The expressions are in the SQL both stores speak over the same layout — the deployed Timestream table and
 * the local `events` view that mirrors it (lambdas/store/duckdb/events-view.ts): `measure_name` is the record
 * kind, `time` a timestamp, every canonical column a column, NULL where a record has no value. They use only
 * functions both dialects define alike: sum, count(DISTINCT), coalesce, nullif, CAST, CASE, date_trunc, ||.
 * Each target adds its own FROM, time range, filters and time bucket.
 */
export interface PanelQuery {
  /** The record kind the panel reads, selected by `measure_name`. */
  readonly kind: RecordKind;
  /** Output columns, each `expression AS name` or a bare column. */
  readonly columns: readonly string[];
  readonly groupBy?: readonly string[];
  readonly orderBy?: readonly string[];
  /**
   * One row per time bucket (and group): the target puts its bucket first and orders by it. A bucket sums the
   * deltas recorded in it, so a bar is the usage of that interval whatever the interval is.
   */
  readonly bucketed?: boolean;
}

/** input + cache read + cache write + output: the four disjoint buckets; reasoning is already inside output. */
const TOTAL_TOKENS = '(input_tokens + cache_read_tokens + cache_write_tokens + output_tokens)';
/** Every input token, whether the cache served it or not. */
const ALL_INPUT = '(input_tokens + cache_read_tokens + cache_write_tokens)';

/** Per-group sums; an aggregate over no rows at all (an empty range) counts zero, not null. */
export const TOKEN_SUMS = TOKEN_FIELDS.map((column) => `CAST(coalesce(sum(${column}), 0) AS BIGINT) AS ${column}`);
export const UNPRICED_TOKENS = `CAST(coalesce(sum(CASE WHEN estimated_cost_usd IS NULL THEN ${TOTAL_TOKENS} END), 0) AS BIGINT) AS unpriced_tokens`;
/** Cost of the priced records only; every panel that shows it shows unpriced tokens beside it. */
export const PRICED_COST = 'coalesce(sum(estimated_cost_usd), 0) AS estimated_cost_usd';
const totalTokens = (name: string): string => `CAST(coalesce(sum(${TOTAL_TOKENS}), 0) AS BIGINT) AS ${name}`;
export const TOKENS = totalTokens('tokens');

/** What an estimated cost is, shown next to every cost on both boards. */
export const COST_NOTE = 'API list price — a ceiling on a metered bill';

/** The sum of one activity metric's deltas; zero when none were recorded. */
function activitySum(metric: string, name = metric): string {
  return `coalesce(sum(CASE WHEN metric = '${metric}' THEN value END), 0) AS ${name}`;
}

export const USAGE_PANELS = {
  overview: {
    kind: 'usage',
    columns: [
      totalTokens('total_tokens'),
      PRICED_COST,
      UNPRICED_TOKENS,
      // Usage without an identity is nobody's: count(DISTINCT) skips its NULL, and the developer tables show it
      // as its own "(no identity)" line.
      'count(DISTINCT user_email) AS active_developers',
      // A (developer, clock hour) pair with any usage; the separator keeps "a" + "b1" apart from "ab" + "1".
      `count(DISTINCT user_email || '|' || CAST(date_trunc('hour', time) AS VARCHAR)) AS active_hours`,
      'count(DISTINCT session_id) AS sessions',
    ],
  },
  developers: {
    kind: 'usage',
    columns: ['user_email', TOKENS, PRICED_COST],
    groupBy: ['user_email'],
    orderBy: ['tokens DESC', 'user_email'],
  },
  rate: { kind: 'usage', bucketed: true, columns: ['user_email', TOKENS], groupBy: ['user_email'], orderBy: ['user_email'] },
  byType: {
    kind: 'usage',
    columns: [...TOKEN_SUMS, `CAST(sum(cache_read_tokens) AS DOUBLE) / nullif(sum(${ALL_INPUT}), 0) AS cache_hit_ratio`],
  },
  byModel: {
    kind: 'usage',
    columns: ['model', TOKENS, PRICED_COST, UNPRICED_TOKENS],
    groupBy: ['model'],
    orderBy: ['tokens DESC', 'model'],
  },
  byTool: {
    kind: 'usage',
    columns: ['tool', TOKENS, PRICED_COST, UNPRICED_TOKENS],
    groupBy: ['tool'],
    orderBy: ['estimated_cost_usd DESC', 'tool'],
  },
  byTeam: {
    kind: 'usage',
    columns: ['team', TOKENS, PRICED_COST, UNPRICED_TOKENS],
    groupBy: ['team'],
    orderBy: ['estimated_cost_usd DESC', 'team'],
  },
  teamSpend: { kind: 'usage', bucketed: true, columns: ['team', PRICED_COST], groupBy: ['team'], orderBy: ['team'] },
  matrix: { kind: 'usage', columns: ['user_email', ...TOKEN_SUMS], groupBy: ['user_email'], orderBy: ['user_email'] },
  activity: {
    kind: 'activity',
    columns: [
      activitySum('lines_added'),
      activitySum('lines_removed'),
      activitySum('commits'),
      activitySum('pull_requests'),
      activitySum('edit_accepted'),
      activitySum('edit_rejected'),
      // Null, not zero, when no edit was decided: there is no rate to show.
      "coalesce(sum(CASE WHEN metric = 'edit_accepted' THEN value END), 0) / nullif(sum(CASE WHEN metric IN ('edit_accepted', 'edit_rejected') THEN value END), 0) AS edit_accept_rate",
    ],
  },
  sessionsStarted: { kind: 'activity', bucketed: true, columns: [activitySum('sessions', 'sessions_started')] },
} as const satisfies Readonly<Record<string, PanelQuery>>;

export type UsagePanel = keyof typeof USAGE_PANELS;

/** The columns the board filters on. */
export const FILTER_COLUMNS = {
  user: 'user_email',
  tool: 'tool',
  model: 'model',
  repo: 'repo',
  team: 'team',
} as const;

/** What a filter compares the chosen values to: the column, with '' standing for "not reported". */
export function filterMatch(column: string): string {
  return `coalesce(${column}, '')`;
}
