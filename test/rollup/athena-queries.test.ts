import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalUsageReports } from '../../lambdas/local/usage-reports.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { TOKEN_FIELDS } from '../../lambdas/records/types.ts';
import { dayBounds } from '../../lambdas/rollup/day.ts';
import { FolderRollupOutput } from '../../lambdas/rollup/output/folder-output.ts';
import { rollupDays } from '../../lambdas/rollup/rollup.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import type { SqlRow } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from '../../lambdas/store/duckdb/day-usage-reader.ts';
import { renderQuery } from '../../lib/team-queries.ts';
import { FIXTURE_DAY, fixtureDataDir } from '../support/fixture-store.ts';
import { InMemoryAnalyticsSource, InMemoryPullRequests, InMemoryTeamDirectory } from '../support/rollup-sources.ts';
import { rollupTablesIn } from '../support/rollup-output.ts';
import { actorDay, modelUsage } from './builders.ts';
import { teamsOf } from '../../lambdas/rollup/teams.ts';

const QUERIES_DIR = fileURLToPath(new URL('../../dashboards/athena/', import.meta.url));
/** A query file as the stack saves it, with a seat price of $20 a month. */
const query = (name: string) => renderQuery(name, readFileSync(join(QUERIES_DIR, name), 'utf8'), { seat_price_usd: 20 });

/** The fixture store rolled up into a folder, with dev@ in a team, Codex's identity-less usage unassigned. */
const store = await LocalDatabase.open(await fixtureDataDir(), { readOnly: true });
const out = mkdtempSync(join(tmpdir(), 'seatmeter-athena-'));
await rollupDays([FIXTURE_DAY], {
  usage: new DuckDbDayUsageSource(store),
  pullRequests: new InMemoryPullRequests(null),
  analytics: new InMemoryAnalyticsSource([
    actorDay('dev@example.com', [modelUsage('claude-opus-4-8', 56_000, 0.08)]),
    actorDay('ana@example.com', [modelUsage('claude-opus-4-8', 12_000, 0.02)]),
  ]),
  teams: teamsOf({ kind: 'list', names: ['payments', 'platform'] }, new InMemoryTeamDirectory({ payments: ['dev@example.com'], platform: ['ana@example.com', 'dev@example.com'] })),
  pricer: defaultPriceBook(),
  output: new FolderRollupOutput(out),
});
const athena = await rollupTablesIn(out);
const storeTotals = (await new LocalUsageReports(store).report({ ...dayBounds(FIXTURE_DAY), by: [] }))[0];
afterAll(() => Promise.all([store.close(), athena.close()]));

function totals(rows: readonly SqlRow[]): Record<string, number> {
  return Object.fromEntries(TOKEN_FIELDS.map((name) => [name, rows.reduce((sum, row) => sum + Number(row[name]), 0)]));
}

describe('the named Athena queries, run on the rollup Parquet', () => {
  it('has one file per finance question', () => {
    expect(readdirSync(QUERIES_DIR).sort()).toEqual([
      'active-developers-by-team.sql',
      'api-cost-vs-seat-price.sql',
      'cost-per-feature-by-team-and-repo.sql',
      'coverage-gaps.sql',
      'monthly-cost-by-team-and-model.sql',
    ]);
  });

  it('monthly cost by team and model: team totals equal user totals equal the store, to the token', async () => {
    const rows = await athena.query(query('monthly-cost-by-team-and-model.sql'));
    expect(rows.map((row) => [row.month, row.team, row.model])).toEqual([
      ['2026-11', 'payments', 'claude-opus-4-8'],
      ['2026-11', 'payments', 'gemini-2.5-pro'],
      ['2026-11', 'payments', 'gemini-3.8-flash'],
      ['2026-11', 'payments', 'claude-haiku-4-5'],
      ['2026-11', 'payments', 'gemini-3.5-flash-lite'],
      ['2026-11', 'unassigned', 'gpt-5'],
    ]);
    const byUser = await athena.query(
      `SELECT user_email, ${TOKEN_FIELDS.map((c) => `sum(${c})::BIGINT AS ${c}`).join(', ')} FROM team_usage GROUP BY user_email ORDER BY user_email NULLS LAST`,
    );
    const storeByUser = await new LocalUsageReports(store).report({ ...dayBounds(FIXTURE_DAY), by: ['user'] });
    expect(byUser).toEqual(storeByUser.map((row) => ({ user_email: row.user_email, ...Object.fromEntries(TOKEN_FIELDS.map((name) => [name, row[name]])) })));
    const expected = Object.fromEntries(TOKEN_FIELDS.map((name) => [name, storeTotals?.[name]]));
    expect(totals(rows)).toEqual(expected);
    expect(totals(byUser)).toEqual(expected);
    expect(expected).toEqual({ input_tokens: 11_622, cache_read_tokens: 70_288, cache_write_tokens: 1_900, output_tokens: 1_086, reasoning_tokens: 261 });
    const cost = rows.reduce((sum, row) => sum + Number(row.estimated_cost_usd), 0);
    expect(cost).toBeCloseTo(storeTotals?.estimated_cost_usd ?? Number.NaN, 12);
  });

  it('active developers by team: the one identified developer, on two tools, in the first listed team', async () => {
    expect(await athena.query(query('active-developers-by-team.sql'))).toEqual([
      {
        month: '2026-11',
        team: 'payments',
        active_developers: 1,
        developer_days: 1,
        tools: 2,
        tokens: 11_622 - 2_712 + 70_288 - 12_288 + 1_900 + 1_086 - 462,
        estimated_cost_usd: expect.closeTo(0.08217535, 12),
        requests: 12,
        lines_added: 0,
        lines_removed: 0,
        commits: 0,
        pull_requests: 0,
      },
    ]);
  });

  it('coverage gaps: the developer whose Claude Code usage reached Anthropic but not seatmeter', async () => {
    expect(await athena.query(query('coverage-gaps.sql'))).toEqual([
      {
        day: FIXTURE_DAY,
        team: 'platform',
        user_email: 'ana@example.com',
        coverage: 'analytics_only',
        telemetry_tokens: 0,
        analytics_tokens: 12_000,
        drift_ratio: null,
        telemetry_estimated_cost_usd: null,
        analytics_estimated_cost_usd: 0.02,
        cost_drift_ratio: null,
      },
    ]);
  });

  it('API-equivalent cost vs seat price: the seat price is the deployment setting written into the query', async () => {
    expect(await athena.query(query('api-cost-vs-seat-price.sql'))).toEqual([
      {
        month: '2026-11',
        team: 'payments',
        user_email: 'dev@example.com',
        api_equivalent_cost_usd: expect.closeTo(0.08217535, 12),
        seat_price_usd: 20,
        api_minus_seat_usd: expect.closeTo(0.08217535 - 20, 12),
        unpriced_tokens: 0,
        active_days: 1,
      },
    ]);
  });
});
