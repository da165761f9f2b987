/**
 * `npm run bench`: the daily team rollup on a synthetic day of 10,000 developers × 3 tools × 4 models (two
 * pricing slots each, one session per tool), 2,000 team groups, a Claude Code Analytics actor-day per developer
 * and 3,000 pull requests giving sessions their feature, through the domain (team and feature attribution,
 * re-pricing, reconciliation) and the Parquet writer. The sources are in-memory port
 * implementations, so the figure is the rollup's own work; goal: under 60 s on a 2-core machine.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { defaultPriceBook } from '../lambdas/pricing/default-price-book.ts';
import { rollupDays } from '../lambdas/rollup/rollup.ts';
import { teamsOf } from '../lambdas/rollup/teams.ts';
import type { AnalyticsActorDay } from '../lambdas/rollup/sources.ts';
import type { PullRequestWork } from '../lambdas/features/session-features.ts';
import type { DayUsage, KeyActivity, KeySession, UsageLine } from '../lambdas/rollup/types.ts';
import { InMemoryAnalyticsSource, InMemoryDayUsageSource, InMemoryPullRequests, InMemoryRollupOutput, InMemoryTeamDirectory } from '../test/support/rollup-sources.ts';

const DAY = '2026-11-22';
const USERS = 10_000;
const GROUPS = 2_000;
const GOAL_MS = 60_000;
const TOOLS: Readonly<Record<string, readonly string[]>> = {
  claude_code: ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
  codex: ['gpt-5', 'gpt-5-codex', 'gpt-5-mini', 'o3'],
  gemini_cli: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash'],
};
const SLOTS = [Date.parse(`${DAY}T09:30:00Z`), Date.parse(`${DAY}T14:00:00Z`)];

const email = (user: number) => `Developer.${String(user).padStart(5, '0')}@Example.com`;

function syntheticDay(): { usage: DayUsage; actorDays: AnalyticsActorDay[]; groups: Record<string, string[]>; pullRequests: PullRequestWork[] } {
  const lines: UsageLine[] = [];
  const sessions: KeySession[] = [];
  const activity: KeyActivity[] = [];
  const actorDays: AnalyticsActorDay[] = [];
  for (let user = 0; user < USERS; user += 1) {
    for (const [tool, models] of Object.entries(TOOLS)) {
      const key = { user_email: email(user), repo: `acme/repo-${user % 300}`, session_id: `${user}-${tool}` };
      activity.push({ ...key, tool, model: null, metric: 'active_time_user_s', value: 1_800 + (user % 600) });
      for (const [m, model] of models.entries()) {
        const input = 1_000 + ((user * 7 + m * 13) % 5_000);
        for (const [s, time_ms] of SLOTS.entries()) {
          lines.push({ ...key, tool, model, time_ms, input_tokens: input + s, cache_read_tokens: input * 20, cache_write_tokens: input, output_tokens: Math.floor(input / 10), reasoning_tokens: 0, reported_cost_usd: tool === 'claude_code' ? input / 1e5 : null });
        }
        sessions.push({ ...key, tool, model, first_ms: SLOTS[0] ?? 0, last_ms: SLOTS[1] ?? 0 });
        activity.push({ ...key, tool, model, metric: 'api_requests', value: 10 + (user % 40) });
      }
    }
    const models = TOOLS.claude_code?.map((model) => ({ model, input_tokens: 2_000, output_tokens: 200, cache_read_tokens: 40_000, cache_write_tokens: 2_000, estimated_cost_usd: 1.25 })) ?? [];
    // One in ten developers has no telemetry of their own Claude Code use (analytics_only).
    actorDays.push({ day: DAY, actor: { kind: 'user', email: user % 10 === 0 ? `untracked.${user}@example.com` : email(user) }, customer_type: 'subscription', sessions: 3, lines_added: 120, lines_removed: 30, commits: 2, pull_requests: 1, models });
  }
  // Each developer in one team group, every third in a second one too.
  const groups: Record<string, string[]> = {};
  for (let user = 0; user < USERS; user += 1) {
    for (const group of user % 3 === 0 ? [user % GROUPS, (user * 7 + 1) % GROUPS] : [user % GROUPS]) {
      const name = `team-${String(group).padStart(4, '0')}`;
      (groups[name] ??= []).push(email(user).toLowerCase());
    }
  }
  // Ten PRs a repository, each by the three or four developers of that repository it numbers.
  const pullRequests: PullRequestWork[] = [];
  for (let pr = 0; pr < 3_000; pr += 1) {
    const people = [];
    for (let user = pr % 300; user < USERS; user += 3_000) people.push(email(user).toLowerCase());
    pullRequests.push({ repo: `acme/repo-${pr % 300}`, number: pr, feature: `feature-${pr % 120}`, people, startMs: SLOTS[0] ?? 0, endMs: null });
  }
  return { usage: { lines, sessions, activity }, actorDays, groups, pullRequests };
}

const { usage, actorDays, groups, pullRequests } = syntheticDay();
const output = new InMemoryRollupOutput();
const pricer = defaultPriceBook();
const started = performance.now();
const [summary] = await rollupDays(
  [DAY],
  { usage: new InMemoryDayUsageSource(new Map([[DAY, usage]])), analytics: new InMemoryAnalyticsSource(actorDays), teams: teamsOf({ kind: 'prefix', prefix: 'team-' }, new InMemoryTeamDirectory(groups)),
    pullRequests: new InMemoryPullRequests(pullRequests),
    pricer,
    output,
  },
);
const elapsedMs = performance.now() - started;
const bytes = [...output.files.values()].reduce((sum, file) => sum + file.body.byteLength, 0);

process.stdout.write(
  [
    `rollup benchmark (${cpus().length} CPUs, Node ${process.version})`,
    `  input: ${usage.lines.length} usage lines, ${usage.sessions.length} session spans, ${usage.activity.length} activity totals, ${actorDays.length} Analytics actor-days, ${Object.keys(groups).length} team groups, ${pullRequests.length} pull requests`,
    `  output: ${summary?.rows} team_usage rows over ${summary?.teams} teams and ${summary?.features} features, coverage ${JSON.stringify(summary?.coverage)}, ${(bytes / 1e6).toFixed(1)} MB in ${output.files.size} files`,
    `  rollup of one day: ${(elapsedMs / 1000).toFixed(2)} s (goal < ${GOAL_MS / 1000} s): ${elapsedMs < GOAL_MS ? 'ok' : 'OVER GOAL'}`,
    '',
  ].join('\n'),
);
if (elapsedMs >= GOAL_MS) process.exitCode = 1;
