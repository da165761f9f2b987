import type { DashboardQuery } from './dashboard-types.ts';
import { GROUP_KEYS } from './report-types.ts';
import type { ReportQuery } from './report-types.ts';

/**
 * The SQL behind `seatmeter report` and every panel of the local dashboard, over the canonical `usage`
 * table. One definition per number, so the CLI and the page cannot drift apart.
 */
export interface Sql {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

const TOTAL_TOKENS = '(input_tokens + cache_read_tokens + cache_write_tokens + output_tokens)';
const DAY = "strftime(make_timestamp(time_ms * 1000), '%Y-%m-%d')";
/** Records without identity are one "user" for counting developers. */
const USER_IDENTITY = "coalesce(user_email, '')";

export const TOKEN_COLUMNS = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens'] as const;
/** Per-group sums; an aggregate over no rows at all (an empty range) counts zero, not null. */
const TOKEN_SUMS = TOKEN_COLUMNS.map((c) => `coalesce(sum(${c}), 0)::BIGINT AS ${c}`).join(', ');
const UNPRICED = `coalesce(sum(CASE WHEN estimated_cost_usd IS NULL THEN ${TOTAL_TOKENS} END), 0)::BIGINT AS unpriced_tokens`;
/** Cost of the priced records only; dashboards show unpriced tokens beside it. */
const PRICED_COST = 'coalesce(sum(estimated_cost_usd), 0) AS estimated_cost_usd';

export function reportSql(query: ReportQuery): Sql {
  const keys = query.by.map((key) => (key === 'day' ? `${DAY} AS day` : GROUP_KEYS[key]));
  const groupBy = query.by.map((key) => GROUP_KEYS[key]);
  const select = [
    ...keys,
    TOKEN_SUMS,
    'CASE WHEN bool_or(estimated_cost_usd IS NULL) THEN NULL ELSE sum(estimated_cost_usd) END AS estimated_cost_usd',
    'sum(reported_cost_usd) AS reported_cost_usd',
    'count(DISTINCT session_id)::BIGINT AS sessions',
    UNPRICED,
  ];
  const order = groupBy.length === 0 ? '' : ` GROUP BY ${groupBy.join(', ')} ORDER BY ${groupBy.map((c) => `${c} NULLS LAST`).join(', ')}`;
  return { sql: `SELECT ${select.join(',\n  ')} FROM usage WHERE time_ms >= ? AND time_ms < ?${order}`, params: [query.fromMs, query.toMs] };
}

function where(query: DashboardQuery): Sql {
  const clauses = ['time_ms >= ?', 'time_ms < ?'];
  const params: (string | number)[] = [query.fromMs, query.toMs];
  if (query.users.length > 0) {
    // An empty string selects records without identity.
    clauses.push(`${USER_IDENTITY} IN (${query.users.map(() => '?').join(', ')})`);
    params.push(...query.users);
  }
  if (query.tools.length > 0) {
    clauses.push(`tool IN (${query.tools.map(() => '?').join(', ')})`);
    params.push(...query.tools);
  }
  return { sql: clauses.join(' AND '), params };
}

function over(query: DashboardQuery, select: string, tail = ''): Sql {
  const filter = where(query);
  return { sql: `SELECT ${select} FROM usage WHERE ${filter.sql}${tail}`, params: filter.params };
}

/** Bucket width for the rate chart: about 60 buckets over the range, rounded to a readable size. */
export function rateBucketMs(fromMs: number, toMs: number): number {
  const sizes = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];
  const wanted = (toMs - fromMs) / 60;
  return sizes.find((size) => size >= wanted) ?? 86_400_000;
}

export const dashboardSql = {
  overview: (q: DashboardQuery): Sql =>
    over(
      q,
      `coalesce(sum(${TOTAL_TOKENS}), 0)::BIGINT AS total_tokens, ${PRICED_COST}, ${UNPRICED},
       count(DISTINCT ${USER_IDENTITY})::BIGINT AS active_developers,
       count(DISTINCT (${USER_IDENTITY}, time_ms // 3600000))::BIGINT AS active_hours,
       count(DISTINCT session_id)::BIGINT AS sessions`,
    ),
  developers: (q: DashboardQuery): Sql =>
    over(q, `user_email, sum(${TOTAL_TOKENS})::BIGINT AS tokens, ${PRICED_COST}`, ' GROUP BY user_email ORDER BY tokens DESC, user_email NULLS LAST'),
  rate: (q: DashboardQuery, bucketMs: number): Sql => {
    const filter = where(q);
    return {
      sql: `SELECT (time_ms // ?) * ? AS time_ms, user_email, sum(${TOTAL_TOKENS})::BIGINT AS tokens FROM usage WHERE ${filter.sql}
            GROUP BY 1, user_email ORDER BY 1, user_email NULLS LAST`,
      params: [bucketMs, bucketMs, ...filter.params],
    };
  },
  byType: (q: DashboardQuery): Sql => over(q, TOKEN_SUMS),
  byModel: (q: DashboardQuery): Sql =>
    over(q, `model, sum(${TOTAL_TOKENS})::BIGINT AS tokens, ${PRICED_COST}, ${UNPRICED}`, ' GROUP BY model ORDER BY tokens DESC, model'),
  matrix: (q: DashboardQuery): Sql => over(q, `user_email, ${TOKEN_SUMS}`, ' GROUP BY user_email ORDER BY user_email NULLS LAST'),
  users: (q: DashboardQuery): Sql => over(q, 'DISTINCT user_email', ' ORDER BY user_email NULLS LAST'),
  tools: (q: DashboardQuery): Sql => over(q, 'DISTINCT tool', ' ORDER BY tool'),
};
