import { dayFeatures } from '../features/day-features.ts';
import type { PullRequestWork } from '../features/session-features.ts';
import { UNATTRIBUTED } from '../features/session-features.ts';
import type { Pricer } from '../pricing/types.ts';
import { analyticsRows } from './analytics-rows.ts';
import { coverageRows } from './coverage.ts';
import { dayStartMs } from './day.ts';
import { RollupDayError } from './errors.ts';
import { LATEST_TEAM_MAP_KEY, PARQUET_CONTENT_TYPE, tableFileKey, teamMapKey } from './output/layout.ts';
import { parquetTable } from './output/parquet.ts';
import type { RollupFile, RollupOutput } from './output/types.ts';
import type { AnalyticsActorDay, ClaudeCodeAnalyticsSource, PullRequestSource, TeamSource } from './sources.ts';
import { ANALYTICS_COLUMNS, COVERAGE_COLUMNS, TEAM_USAGE_COLUMNS } from './tables.ts';
import { teamUsageRows } from './team-usage.ts';
import { TeamAssignment } from './teams.ts';
import type { AnalyticsRow, Coverage, CoverageRow, DayUsage, DayUsageSource, TeamUsageRow } from './types.ts';
import { COVERAGE } from './types.ts';

/** Everything the rollup reads from and writes to; the CLI and the Lambda each compose their own. */
export interface RollupPorts {
  readonly usage: DayUsageSource;
  readonly analytics: ClaudeCodeAnalyticsSource;
  readonly teams: TeamSource;
  readonly pullRequests: PullRequestSource;
  readonly pricer: Pricer;
  readonly output: RollupOutput;
}

export interface RolledUpDay {
  readonly day: string;
  readonly teamUsage: readonly TeamUsageRow[];
  readonly coverage: readonly CoverageRow[];
  readonly analytics: readonly AnalyticsRow[];
}

/** What a day came to, for the CLI's summary and the Lambda's log. */
export interface DaySummary {
  readonly day: string;
  readonly rows: number;
  /** Developers: distinct identities. Usage without one is not a developer; its tokens are counted apart. */
  readonly users: number;
  readonly teams: number;
  /** Features with usage, `unattributed` not among them. */
  readonly features: number;
  readonly tokens: number;
  readonly estimated_cost_usd: number;
  readonly unpriced_tokens: number;
  /** Tokens of usage that named no user: in `tokens`, and in no developer's. */
  readonly unidentified_tokens: number;
  readonly coverage: Readonly<Record<Coverage, number>>;
  readonly analytics_actors: number;
}

/** The day's three tables, from what the store, the Analytics API and GitHub said. Pure: no reads, no writes. */
export function rollupDay(
  day: string,
  usage: DayUsage,
  actorDays: readonly AnalyticsActorDay[] | null,
  teams: TeamAssignment,
  pricer: Pricer,
  pullRequests: readonly PullRequestWork[],
): RolledUpDay {
  const teamUsage = teamUsageRows(usage, teams, pricer, dayFeatures(usage.sessions, pullRequests));
  return { day, teamUsage, coverage: coverageRows(teamUsage, actorDays, teams), analytics: analyticsRows(actorDays ?? [], teams) };
}

/** The day as files, data first and the team map last: a reader of the map finds the tables it describes. */
export function dayFiles(rolled: RolledUpDay, teams: TeamAssignment): RollupFile[] {
  const parquet = (key: string, body: Uint8Array): RollupFile => ({ key, body, contentType: PARQUET_CONTENT_TYPE });
  const map = new TextEncoder().encode(teams.toJson());
  return [
    parquet(tableFileKey('team_usage', rolled.day), parquetTable(TEAM_USAGE_COLUMNS, rolled.teamUsage)),
    parquet(tableFileKey('claude_code_analytics', rolled.day), parquetTable(ANALYTICS_COLUMNS, rolled.analytics)),
    parquet(tableFileKey('claude_code_coverage', rolled.day), parquetTable(COVERAGE_COLUMNS, rolled.coverage)),
    { key: teamMapKey(rolled.day), body: map, contentType: 'application/json' },
    { key: LATEST_TEAM_MAP_KEY, body: map, contentType: 'application/json' },
  ];
}

export function summarize(rolled: RolledUpDay): DaySummary {
  const coverage = Object.fromEntries(COVERAGE.map((status) => [status, 0])) as Record<Coverage, number>;
  for (const row of rolled.coverage) coverage[row.coverage] += 1;
  const rows = rolled.teamUsage;
  const tokensOf = (row: (typeof rows)[number]) => row.input_tokens + row.cache_read_tokens + row.cache_write_tokens + row.output_tokens;
  return {
    day: rolled.day,
    rows: rows.length,
    users: new Set(rows.flatMap((row) => (row.user_email === null ? [] : [row.user_email]))).size,
    teams: new Set(rows.map((row) => row.team)).size,
    features: new Set(rows.flatMap((row) => (row.feature === UNATTRIBUTED ? [] : [row.feature]))).size,
    tokens: rows.reduce((sum, row) => sum + tokensOf(row), 0),
    estimated_cost_usd: rows.reduce((sum, row) => sum + (row.estimated_cost_usd ?? 0), 0),
    unpriced_tokens: rows.reduce((sum, row) => sum + row.unpriced_tokens, 0),
    unidentified_tokens: rows.reduce((sum, row) => sum + (row.user_email === null ? tokensOf(row) : 0), 0),
    coverage,
    analytics_actors: rolled.analytics.filter((row) => row.model === null).length,
  };
}

/**
 * Rolls up each day in turn. The directory is read once per run (it has no history: every day is attributed
 * with today's teams), and so are the pull requests, all those updated since the first day began (a PR worked
 * on within the run was updated then: by its commits, its merge or its close). For each day every source is
 * read and every file encoded before the first write, so a failing source writes nothing of that day; days
 * finished before it stay written, and the error names the day it stopped at.
 */
export async function rollupDays(
  days: readonly string[],
  ports: RollupPorts,
  onDay: (summary: DaySummary, done: number) => void = () => undefined,
): Promise<DaySummary[]> {
  const summaries: DaySummary[] = [];
  let current = days[0];
  if (current === undefined) return summaries;
  try {
    // No directory configured: everyone is `unassigned`, and the per-user rows are still written.
    const selected = await ports.teams.selectedTeams().catch(failedSource('team directory'));
    const teams = selected === null ? TeamAssignment.nobody() : TeamAssignment.resolve(selected.rule, selected.members);
    const pullRequests = (await ports.pullRequests.pullRequests(dayStartMs(current, 'day')).catch(failedSource('GitHub pull requests'))) ?? [];
    for (const day of days) {
      current = day;
      const [usage, actorDays] = await Promise.all([
        ports.usage.readDay(day).catch(failedSource('usage store')),
        ports.analytics.actorDays(day).catch(failedSource('Claude Code Analytics API')),
      ]);
      const rolled = rollupDay(day, usage, actorDays, teams, ports.pricer, pullRequests);
      await ports.output.writeDay(dayFiles(rolled, teams)).catch(failedSource('output'));
      const summary = summarize(rolled);
      summaries.push(summary);
      onDay(summary, summaries.length);
    }
  } catch (error) {
    throw new RollupDayError(current, error);
  }
  return summaries;
}

function failedSource(name: string): (error: unknown) => never {
  return (error) => {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  };
}
