/** What `seatmeter report` groups by, and the record column behind each choice. */
export const GROUP_KEYS = {
  user: 'user_email',
  tool: 'tool',
  model: 'model',
  repo: 'repo',
  team: 'team',
  day: 'day',
  session: 'session_id',
  // Not a record column: each session's feature comes from the synced pull requests (report/feature-report.ts).
  feature: 'feature',
} as const;
export type GroupKey = keyof typeof GROUP_KEYS;
export type GroupColumn = (typeof GROUP_KEYS)[GroupKey];

export const DEFAULT_GROUP_BY: readonly GroupKey[] = ['user', 'tool', 'model'];

export interface ReportQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly by: readonly GroupKey[];
}

/** A report query grouped by record columns only, optionally with each group's first and last record time. */
export interface RecordReportQuery extends ReportQuery {
  readonly by: readonly Exclude<GroupKey, 'feature'>[];
  readonly spans?: boolean;
}

/** One row of `seatmeter report --format json`: the group keys asked for, then exactly these fields. */
export interface ReportTotals {
  readonly input_tokens: number;
  readonly cache_read_tokens: number;
  readonly cache_write_tokens: number;
  /** Billable output, reasoning included. */
  readonly output_tokens: number;
  readonly reasoning_tokens: number;
  /** Null when any record in the group is unpriced: a partial sum would read as the whole cost. */
  readonly estimated_cost_usd: number | null;
  /** Null where the tool reports no cost of its own. */
  readonly reported_cost_usd: number | null;
  /** Distinct sessions with usage in the group. */
  readonly sessions: number;
  readonly unpriced_tokens: number;
}

export type ReportRow = Partial<Record<GroupColumn, string | null>> & ReportTotals;

export class ReportQueryError extends Error {
  override readonly name = 'ReportQueryError';
}

/** Parses `--by user,tool,model`: unknown or repeated keys are an error, not silently dropped. */
export function parseGroupBy(text: string): GroupKey[] {
  const keys = text.split(',').map((key) => key.trim()).filter((key) => key !== '');
  if (keys.length === 0) throw new ReportQueryError('--by needs at least one of: ' + Object.keys(GROUP_KEYS).join(', '));
  for (const key of keys) {
    if (!(key in GROUP_KEYS)) throw new ReportQueryError(`unknown --by key "${key}"; use any of: ${Object.keys(GROUP_KEYS).join(', ')}`);
  }
  if (new Set(keys).size !== keys.length) throw new ReportQueryError(`--by lists a key twice: ${text}`);
  return keys as GroupKey[];
}

/** No Date exists beyond ±8.64e15 ms; larger numbers would overflow the stores' time arithmetic. */
const MAX_TIME_MS = 8.64e15;

/**
 * A time bound: an ISO date (`2026-11-22`, UTC midnight), an ISO timestamp, or epoch milliseconds.
 * Anything else is an error naming the option.
 */

export function parseTimeBound(text: string, option: string): number {
  const trimmed = text.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > MAX_TIME_MS) throw new ReportQueryError(`${option} "${text}" is not a date (use YYYY-MM-DD, an ISO timestamp or epoch milliseconds)`);
  return ms;
}

/** `report`, its API and the dashboard default to the last 7 days. */
export const DEFAULT_RANGE_MS = 7 * 86_400_000;

/**
 * A [from, to) range from optional bounds: `to` defaults to now, `from` to DEFAULT_RANGE_MS before `to`.
 * `prefix` is how the caller spells its options (`--` on the command line), so errors name them as typed.
 */
export function parseTimeRange(from: string | null | undefined, to: string | null | undefined, prefix: '' | '--', nowMs: number): { fromMs: number; toMs: number } {
  const toMs = to === null || to === undefined ? nowMs : parseTimeBound(to, `${prefix}to`);
  const fromMs = from === null || from === undefined ? toMs - DEFAULT_RANGE_MS : parseTimeBound(from, `${prefix}from`);
  if (fromMs >= toMs) throw new ReportQueryError(`${prefix}from must be before ${prefix}to`);
  return { fromMs, toMs };
}
