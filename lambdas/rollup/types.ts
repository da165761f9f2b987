import type { ActivityMetric, TokenCounts } from '../records/types.ts';

/**
 * The rollup's view of one UTC day in the usage store, and the rows it writes. Field names are the Parquet
 * and Athena column names.
 */

/** Where usage happened: the grain of the team table (the team is added by attribution). */
export interface UsageKey {
  readonly user_email: string | null;
  readonly tool: string;
  /** Null only on activity no model is tied to (a session's active time, commits, pull requests). */
  readonly model: string | null;
  readonly repo: string | null;
}

/** A usage key within one session: the grain the store is read at, so each session can be given its feature. */
export interface SessionKey extends UsageKey {
  readonly session_id: string | null;
}

/**
 * Usage records of one key and session summed within one pricing slot and tier band (see repricing.ts), so
 * that pricing the sum costs exactly what pricing each record does.
 */
export interface UsageLine extends SessionKey, TokenCounts {
  readonly model: string;
  /** Start of the pricing slot: the time the line is priced at. */
  readonly time_ms: number;
  /** Null when no record of the line carried the client's own cost. */
  readonly reported_cost_usd: number | null;
}

/**
 * One session's usage under one key: when its first and last record of the day were. Counting these per key
 * gives the `seatmeter report` meaning of `sessions` (distinct sessions with usage).
 */
export interface KeySession extends SessionKey {
  readonly model: string;
  readonly session_id: string;
  readonly first_ms: number;
  readonly last_ms: number;
}

/** The activity the team table carries: its column for each activity metric read from the store. */
export const TEAM_ACTIVITY = {
  api_requests: 'requests',
  lines_added: 'lines_added',
  lines_removed: 'lines_removed',
  commits: 'commits',
  pull_requests: 'pull_requests',
  // Claude Code splits active time into the user's and the CLI's; the team table carries their sum.
  active_time_user_s: 'active_time_s',
  active_time_cli_s: 'active_time_s',
} as const satisfies Partial<Record<ActivityMetric, string>>;
export type TeamActivityMetric = keyof typeof TEAM_ACTIVITY;
export type TeamActivity = (typeof TEAM_ACTIVITY)[TeamActivityMetric];
export const TEAM_ACTIVITY_METRICS = Object.keys(TEAM_ACTIVITY) as TeamActivityMetric[];

/** A key's day total of one activity metric, per session. */
export interface KeyActivity extends SessionKey {
  readonly metric: TeamActivityMetric;
  readonly value: number;
}

export interface DayUsage {
  readonly lines: readonly UsageLine[];
  readonly sessions: readonly KeySession[];
  readonly activity: readonly KeyActivity[];
}

/**
 * Port for reading one UTC day out of the usage store (the local database or Timestream). Leaves out the
 * `seatmeter doctor` probe. Throws when the store cannot be read completely, so no partial day is rolled up.
 */
export interface DayUsageSource {
  readDay(day: string): Promise<DayUsage>;
}

/** One row of `team_usage`: a (team, user, tool, model, repo, feature) on the day of its `dt` partition. */
export interface TeamUsageRow extends UsageKey, TokenCounts, Readonly<Record<TeamActivity, number>> {
  readonly team: string;
  /** The feature its sessions worked toward (see features/session-features.ts), or `unattributed`. */
  readonly feature: string;
  /** Re-priced at today's price data; null when any of the key's usage has no price (then see unpriced_tokens). */
  readonly estimated_cost_usd: number | null;
  readonly reported_cost_usd: number | null;
  /** Which price data priced the row (several, space-separated, when a price changed within the day). */
  readonly price_version: string | null;
  readonly sessions: number;
  readonly unpriced_tokens: number;
}

export const COVERAGE = ['both', 'telemetry_only', 'analytics_only', 'not_configured'] as const;
export type Coverage = (typeof COVERAGE)[number];

/** One row of `claude_code_coverage`: a person's Claude Code day as telemetry saw it and as Anthropic did. */
export interface CoverageRow {
  readonly user_email: string;
  readonly team: string;
  readonly coverage: Coverage;
  /** Input, cache read, cache write and output tokens (reasoning is part of output). */
  readonly telemetry_tokens: number;
  readonly telemetry_estimated_cost_usd: number | null;
  readonly analytics_tokens: number;
  readonly analytics_estimated_cost_usd: number | null;
  /** (telemetry − analytics) / analytics tokens: 0 when they agree, −0.25 when telemetry saw a quarter less. */
  readonly drift_ratio: number | null;
  readonly cost_drift_ratio: number | null;
}

/**
 * One row of `claude_code_analytics`: an Analytics API actor-day, one row per model for tokens and cost, and
 * one row with a null model for the actor's sessions, lines, commits and pull requests — so that a sum over
 * rows counts each number once.
 */
export interface AnalyticsRow {
  readonly actor_type: 'user' | 'api_key';
  readonly user_email: string | null;
  readonly api_key_name: string | null;
  /** Null for an API key: only people are in teams. */
  readonly team: string | null;
  readonly customer_type: string;
  readonly model: string | null;
  readonly input_tokens: number;
  readonly cache_read_tokens: number;
  readonly cache_write_tokens: number;
  readonly output_tokens: number;
  readonly estimated_cost_usd: number | null;
  readonly sessions: number;
  readonly lines_added: number;
  readonly lines_removed: number;
  readonly commits: number;
  readonly pull_requests: number;
}
