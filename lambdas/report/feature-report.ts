import { dayFeatures } from '../features/day-features.ts';
import type { PullRequestWork } from '../features/session-features.ts';
import { TOKEN_FIELDS, ZERO_TOKENS } from '../records/types.ts';
import type { TokenCounts } from '../records/types.ts';
import { compareNullable } from '../rollup/order.ts';
import type { GroupColumn, GroupKey, RecordReportQuery, ReportQuery, ReportRow } from './report-types.ts';
import { GROUP_KEYS } from './report-types.ts';

/** A row of the attribution query: one session's usage on one day (or usage with no session) per other key. */
export type SpanRow = ReportRow & { readonly first_ms: number; readonly last_ms: number };

type RecordKey = Exclude<GroupKey, 'feature'>;
const ATTRIBUTION_KEYS: readonly RecordKey[] = ['user', 'repo', 'session', 'day'];

export const wantsFeature = (query: ReportQuery): boolean => query.by.includes('feature');

/**
 * The record query under a report by feature: its other keys, plus what gives a session its feature (user,
 * repo, session and day: the rollup gives each session-day its feature, and the report must agree with it).
 */
export function attributionQuery(query: ReportQuery): RecordReportQuery {
  const by = query.by.filter((key): key is RecordKey => key !== 'feature');
  return { ...query, by: [...by, ...ATTRIBUTION_KEYS.filter((key) => !by.includes(key))], spans: true };
}

interface Group {
  readonly keys: Partial<Record<GroupColumn, string | null>>;
  readonly tokens: { -readonly [K in keyof TokenCounts]: number };
  cost: number | null;
  reported: number | null;
  unpriced: number;
  readonly sessions: Set<string>;
}

const sumNullable = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);

/**
 * The attribution rows, each given its session's feature as the rollup gives it (features/day-features.ts),
 * then summed to the groups asked for and ordered as the SQL report orders (nulls last). The estimated cost
 * of a group stays null when any of its rows is; sessions stay distinct.
 */
export function featureReportRows(query: ReportQuery, rows: readonly SpanRow[], pullRequests: readonly PullRequestWork[]): ReportRow[] {
  const byDay = new Map<string | null | undefined, SpanRow[]>();
  for (const row of rows) {
    const dayRows = byDay.get(row.day);
    if (dayRows === undefined) byDay.set(row.day, [row]);
    else dayRows.push(row);
  }
  const groups = new Map<string, Group>();
  const columns: GroupColumn[] = query.by.map((key) => GROUP_KEYS[key]);
  for (const dayRows of byDay.values()) {
    const spans = dayRows.flatMap((row) => {
      const session_id = row.session_id ?? null;
      return session_id === null ? [] : [{ user_email: row.user_email ?? null, repo: row.repo ?? null, session_id, first_ms: Number(row.first_ms), last_ms: Number(row.last_ms) }];
    });
    const featureOf = dayFeatures(spans, pullRequests);
    for (const row of dayRows) {
      const feature = featureOf({ user_email: row.user_email ?? null, repo: row.repo ?? null, session_id: row.session_id ?? null });
      const keys = Object.fromEntries(columns.map((column) => [column, column === 'feature' ? feature : (row[column] ?? null)])) as Partial<Record<GroupColumn, string | null>>;
      const id = JSON.stringify(columns.map((column) => keys[column]));
      let group = groups.get(id);
      if (group === undefined) {
        group = { keys, tokens: { ...ZERO_TOKENS }, cost: 0, reported: null, unpriced: 0, sessions: new Set() };
        groups.set(id, group);
      }
      for (const field of TOKEN_FIELDS) group.tokens[field] += Number(row[field]);
      group.unpriced += Number(row.unpriced_tokens);
      group.cost = group.cost === null || row.estimated_cost_usd === null ? null : group.cost + row.estimated_cost_usd;
      group.reported = sumNullable(group.reported, row.reported_cost_usd);
      if (row.session_id !== null && row.session_id !== undefined) group.sessions.add(row.session_id);
    }
  }
  return [...groups.values()]
    .map(
      (group): ReportRow => ({
        ...group.keys,
        ...group.tokens,
        estimated_cost_usd: group.cost,
        reported_cost_usd: group.reported,
        sessions: group.sessions.size,
        unpriced_tokens: group.unpriced,
      }),
    )
    .sort((a, b) => {
      for (const column of columns) {
        const order = compareNullable(a[column] ?? null, b[column] ?? null);
        if (order !== 0) return order;
      }
      return 0;
    });
}
