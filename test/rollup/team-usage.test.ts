import { describe, expect, it } from 'vitest';
import { NO_FEATURES } from '../../lambdas/features/day-features.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { teamUsageRows } from '../../lambdas/rollup/team-usage.ts';
import { TeamAssignment } from '../../lambdas/rollup/teams.ts';
import type { DayUsage } from '../../lambdas/rollup/types.ts';
import { MORNING_MS, activity, line, session } from './builders.ts';

/** $1 per million input tokens and $10 per million output until noon, then double (a correction). */
const prices = (version: string, noonInputMtok = 2) =>
  new PriceBook({
    version,
    models: [
      { model: 'acme-coder', effective_from: '2026-01-01', input_mtok: 1, cache_read_mtok: 0.1, cache_write_mtok: 1.25, output_mtok: 10 },
      { model: 'acme-coder', effective_from: '2026-11-22T12:00:00Z', input_mtok: noonInputMtok, cache_read_mtok: 0.2, cache_write_mtok: 2.5, output_mtok: 20 },
    ],
  });

const TEAMS = TeamAssignment.resolve({ kind: 'list', names: ['payments'] }, new Map([['payments', ['dev@example.com']]]));
const NOON_MS = Date.parse('2026-11-22T12:00:00Z');

function day(partial: Partial<DayUsage>): DayUsage {
  return { lines: [], sessions: [], activity: [], ...partial };
}

describe('team_usage rows', () => {
  it('re-prices each line at its own time and sums tokens exactly', () => {
    const rows = teamUsageRows(day({ lines: [line(), line({ time_ms: NOON_MS, input_tokens: 2_000, output_tokens: 0 })] }), TEAMS, prices('v2'), NO_FEATURES);
    expect(rows).toEqual([
      expect.objectContaining({
        team: 'payments',
        user_email: 'dev@example.com',
        input_tokens: 3_000,
        output_tokens: 100,
        // 1,000 × $1/M + 100 × $10/M in the morning, 2,000 × $2/M after noon.
        estimated_cost_usd: 0.006,
        price_version: 'overrides@v2',
        unpriced_tokens: 0,
      }),
    ]);
  });

  it('lets a corrected price reach a day already rolled up', () => {
    const usage = day({ lines: [line({ time_ms: NOON_MS })] });
    const before = teamUsageRows(usage, TEAMS, prices('v2'), NO_FEATURES)[0];
    const after = teamUsageRows(usage, TEAMS, prices('v3', 3), NO_FEATURES)[0];
    expect([before?.estimated_cost_usd, before?.price_version]).toEqual([0.004, 'overrides@v2']);
    expect([after?.estimated_cost_usd, after?.price_version]).toEqual([0.005, 'overrides@v3']);
  });

  it('leaves the cost of a key with an unpriced line null and counts those tokens apart', () => {
    const rows = teamUsageRows(day({ lines: [line({ model: 'no-such-model-anywhere' })] }), TEAMS, prices('v2'), NO_FEATURES);
    expect(rows[0]).toMatchObject({ estimated_cost_usd: null, price_version: null, unpriced_tokens: 1_100 });
  });

  it('merges spellings of one email, counts each session once, adds activity, and keeps model-less activity on its own row', () => {
    const rows = teamUsageRows(
      day({
        lines: [line({ user_email: 'Dev@Example.com' }), line({ reported_cost_usd: 0.25 }), line({ reported_cost_usd: 0.5 })],
        sessions: [session('s-a', { user_email: 'DEV@example.com' }), session('s-a'), session('s-b'), session('s-c')],
        activity: [
          activity('api_requests', 3),
          activity('lines_added', 10.000000001),
          activity('active_time_user_s', 1.25, { model: null }),
          activity('active_time_cli_s', 0.5, { model: null }),
          activity('commits', 1, { model: null }),
        ],
      }),
      TEAMS,
      prices('v2'),
      NO_FEATURES,
    );
    expect(rows.map((row) => [row.model, row.input_tokens, row.sessions, row.reported_cost_usd, row.requests, row.lines_added, row.commits, row.active_time_s])).toEqual([
      ['acme-coder', 3_000, 3, 0.75, 3, 10, 0, 0],
      [null, 0, 0, null, 0, 0, 1, 1.75],
    ]);
    expect(rows[1]).toMatchObject({ estimated_cost_usd: 0, price_version: null });
  });

  it('puts usage without an identity, or of someone in no team, under unassigned', () => {
    const rows = teamUsageRows(day({ lines: [line({ user_email: null, tool: 'codex' }), line({ user_email: 'new@example.com' }), line()] }), TEAMS, prices('v2'), NO_FEATURES);
    expect(rows.map((row) => [row.team, row.user_email])).toEqual([
      ['payments', 'dev@example.com'],
      ['unassigned', 'new@example.com'],
      ['unassigned', null],
    ]);
  });

  it('gives the same rows, to the last bit, whatever order the store returned lines in', () => {
    const lines = Array.from({ length: 40 }, (_, i) => line({ time_ms: MORNING_MS + (i % 8) * 1_800_000, input_tokens: 1_000 + i * 37, reported_cost_usd: 0.1 + i / 3 }));
    const forward = teamUsageRows(day({ lines }), TEAMS, prices('v2'), NO_FEATURES);
    const backward = teamUsageRows(day({ lines: [...lines].reverse() }), TEAMS, prices('v2'), NO_FEATURES);
    expect(backward).toStrictEqual(forward);
  });
});
