import { describe, expect, it } from 'vitest';
import { analyticsRows } from '../../lambdas/rollup/analytics-rows.ts';
import { coverageRows } from '../../lambdas/rollup/coverage.ts';
import { TeamAssignment } from '../../lambdas/rollup/teams.ts';
import type { TeamUsageRow } from '../../lambdas/rollup/types.ts';
import { actorDay, modelUsage } from './builders.ts';

const TEAMS = TeamAssignment.resolve({ kind: 'prefix', prefix: 'team-' }, new Map([['team-web', ['both@example.com', 'gone@example.com']]]));

function usageRow(email: string | null, tool: string, input: number, cost: number | null): TeamUsageRow {
  return {
    team: TEAMS.teamOf(email),
    user_email: email,
    tool,
    model: 'm',
    repo: null,
    feature: 'unattributed',
    input_tokens: input,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    estimated_cost_usd: cost,
    reported_cost_usd: null,
    price_version: null,
    sessions: 1,
    unpriced_tokens: 0,
    requests: 0,
    lines_added: 0,
    lines_removed: 0,
    commits: 0,
    pull_requests: 0,
    active_time_s: 0,
  };
}

describe('Claude Code coverage', () => {
  const usage = [
    usageRow('both@example.com', 'claude_code', 750, 0.75),
    usageRow('both@example.com', 'codex', 5_000, 5),
    usageRow('bedrock@example.com', 'claude_code', 200, 0.2),
    usageRow(null, 'claude_code', 999, 1),
  ];
  const actorDays = [
    actorDay('Both@Example.com', [modelUsage('claude-opus-4-8', 600, 0.5), modelUsage('claude-haiku-4-5', 400, 0.5)]),
    actorDay('gone@example.com', [modelUsage('claude-opus-4-8', 300, null)]),
    actorDay('', [], { actor: { kind: 'api_key', name: 'ci-bot' } }),
  ];

  it('compares each person telemetry saw with what Anthropic reported, and never adds them', () => {
    expect(coverageRows(usage, actorDays, TEAMS)).toEqual([
      {
        user_email: 'bedrock@example.com',
        team: 'unassigned',
        coverage: 'telemetry_only',
        telemetry_tokens: 200,
        telemetry_estimated_cost_usd: 0.2,
        analytics_tokens: 0,
        analytics_estimated_cost_usd: null,
        drift_ratio: null,
        cost_drift_ratio: null,
      },
      {
        user_email: 'both@example.com',
        team: 'team-web',
        coverage: 'both',
        telemetry_tokens: 750,
        telemetry_estimated_cost_usd: 0.75,
        analytics_tokens: 1_000,
        analytics_estimated_cost_usd: 1,
        drift_ratio: -0.25,
        cost_drift_ratio: -0.25,
      },
      {
        user_email: 'gone@example.com',
        team: 'team-web',
        coverage: 'analytics_only',
        telemetry_tokens: 0,
        telemetry_estimated_cost_usd: null,
        analytics_tokens: 300,
        analytics_estimated_cost_usd: null,
        drift_ratio: null,
        cost_drift_ratio: null,
      },
    ]);
  });

  it('has no drift where Anthropic reported no tokens, and no cost drift where a cost is unknown', () => {
    const rows = coverageRows(
      [usageRow('both@example.com', 'claude_code', 10, null)],
      [actorDay('both@example.com', [modelUsage('claude-opus-4-8', 0, 0)])],
      TEAMS,
    );
    expect(rows.map((row) => [row.coverage, row.drift_ratio, row.cost_drift_ratio])).toEqual([['both', null, null]]);
  });

  it('keeps the Analytics rows apart: one activity row per actor, then a row per model', () => {
    expect(analyticsRows(actorDays, TEAMS).map((row) => [row.actor_type, row.user_email ?? row.api_key_name, row.team, row.model, row.input_tokens, row.sessions])).toEqual([
      ['api_key', 'ci-bot', null, null, 0, 2],
      ['user', 'both@example.com', 'team-web', null, 0, 2],
      ['user', 'both@example.com', 'team-web', 'claude-haiku-4-5', 400, 0],
      ['user', 'both@example.com', 'team-web', 'claude-opus-4-8', 600, 0],
      ['user', 'gone@example.com', 'team-web', null, 0, 2],
      ['user', 'gone@example.com', 'team-web', 'claude-opus-4-8', 300, 0],
    ]);
  });
});
