import { readTokenCounts } from '../records/types.ts';
import type { DayUsage, KeyActivity, KeySession, SessionKey, TeamActivityMetric, UsageLine } from './types.ts';
import { TEAM_ACTIVITY } from './types.ts';

/** A result row as a store adapter hands it over: column name → number, text or null. */
export type StoreRow = Readonly<Record<string, unknown>>;

export interface DayUsageRows {
  readonly lines: readonly StoreRow[];
  readonly sessions: readonly StoreRow[];
  readonly activity: readonly StoreRow[];
}

/** A store answered with something the queries cannot have produced: better to stop than to write it. */
export class StoreAnswerError extends Error {
  override readonly name = 'StoreAnswerError';
}

function text(row: StoreRow, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new StoreAnswerError(`column ${column} should be text, got ${JSON.stringify(value)}`);
  return value;
}

function required(row: StoreRow, column: string): string {
  const value = text(row, column);
  if (value === null) throw new StoreAnswerError(`column ${column} is missing in ${JSON.stringify(row)}`);
  return value;
}

function count(row: StoreRow, column: string): number {
  const value = Number(row[column] ?? Number.NaN);
  if (!Number.isSafeInteger(value) || value < 0) throw new StoreAnswerError(`column ${column} should be a count, got ${JSON.stringify(row[column])}`);
  return value;
}

function amount(row: StoreRow, column: string): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new StoreAnswerError(`column ${column} should be a number, got ${JSON.stringify(value)}`);
  return number;
}

function key(row: StoreRow): SessionKey {
  return { user_email: text(row, 'user_email'), tool: required(row, 'tool'), model: text(row, 'model'), repo: text(row, 'repo'), session_id: text(row, 'session_id') };
}

function line(row: StoreRow): UsageLine {
  return {
    ...key(row),
    model: required(row, 'model'),
    time_ms: count(row, 'time_ms'),
    ...readTokenCounts((field) => count(row, field)),
    reported_cost_usd: amount(row, 'reported_cost_usd'),
  };
}

function session(row: StoreRow): KeySession {
  const first_ms = count(row, 'first_ms');
  const last_ms = count(row, 'last_ms');
  if (last_ms < first_ms) throw new StoreAnswerError(`a session ends (${last_ms}) before it begins (${first_ms}) in ${JSON.stringify(row)}`);
  return { ...key(row), model: required(row, 'model'), session_id: required(row, 'session_id'), first_ms, last_ms };
}

function activity(row: StoreRow): KeyActivity {
  const metric = required(row, 'metric');
  if (!(metric in TEAM_ACTIVITY)) throw new StoreAnswerError(`activity metric ${metric} was not asked for`);
  return { ...key(row), metric: metric as TeamActivityMetric, value: amount(row, 'value') ?? 0 };
}

/** The three query results of day-usage-sql.ts as the rollup's day, checked column by column. */
export function dayUsageFromRows(rows: DayUsageRows): DayUsage {
  return { lines: rows.lines.map(line), sessions: rows.sessions.map(session), activity: rows.activity.map(activity) };
}
