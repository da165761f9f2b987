import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalUsageReports } from '../../lambdas/local/usage-reports.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { dayBounds } from '../../lambdas/rollup/day.ts';
import { RollupDayError } from '../../lambdas/rollup/errors.ts';
import { FolderRollupOutput } from '../../lambdas/rollup/output/folder-output.ts';
import { rollupPartnersFrom } from '../../lambdas/rollup/partners.ts';
import { rollupDays } from '../../lambdas/rollup/rollup.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from '../../lambdas/store/duckdb/day-usage-reader.ts';
import { FEATURE_COST_SQL, featureTableSql } from '../../bin/dashboards/features-board.ts';
import { renderQuery } from '../../lib/team-queries.ts';
import { startFakeGitHub } from '../support/fake-github.ts';
import { FEATURE_DAY, FEATURE_PULL_REQUESTS, FEATURE_RECORDS, featureEnv } from '../support/feature-scenario.ts';
import { openRecordStore } from '../support/record-store.ts';
import { InMemoryAnalyticsSource, InMemoryPullRequests, InMemoryRollupOutput } from '../support/rollup-sources.ts';
import { rollupTablesIn } from '../support/rollup-output.ts';

const store = await LocalDatabase.inMemory();
await (await openRecordStore(store)).write(FEATURE_RECORDS);
const github = await startFakeGitHub(FEATURE_PULL_REQUESTS);
afterAll(() => Promise.all([store.close(), github.close()]));

const env = featureEnv(github.url);

const DAY = FEATURE_DAY;

describe('cost per feature from the pull requests on GitHub', async () => {
  const out = mkdtempSync(join(tmpdir(), 'seatmeter-features-'));
  const [summary] = await rollupDays([DAY], { usage: new DuckDbDayUsageSource(store), ...rollupPartnersFrom(env, undefined), pricer: defaultPriceBook(), output: new FolderRollupOutput(out) });
  const athena = await rollupTablesIn(out);
  afterAll(() => athena.close());

  it('gives each session one feature, and the features sum to the day', async () => {
    const rows = await athena.query(
      'SELECT feature, sum(input_tokens)::BIGINT AS input_tokens, sum(sessions)::BIGINT AS sessions, sum(estimated_cost_usd) AS cost FROM team_usage GROUP BY feature ORDER BY feature',
    );
    expect(rows.map((row) => [row.feature, row.input_tokens, row.sessions])).toEqual([
      // Session a counts once on each of its two models' rows.
      ['checkout', 1_000 + 500 + 2_000 + 4_000, 4],
      ['pay-9', 8_000 + 16_000, 1],
      ['unattributed', 32_000 + 64_000, 1],
    ]);
    const [total] = await new LocalUsageReports(store).report({ ...dayBounds(DAY), by: [] });
    expect(rows.reduce((sum, row) => sum + Number(row.input_tokens), 0)).toBe(total?.input_tokens);
    // Re-priced, so the cost is compared with the same day rolled up with no features at all.
    const [whole] = await rollupDays([DAY], { usage: new DuckDbDayUsageSource(store), ...rollupPartnersFrom({}, undefined), pricer: defaultPriceBook(), output: new InMemoryRollupOutput() });
    expect(rows.reduce((sum, row) => sum + Number(row.cost), 0)).toBeCloseTo(whole?.estimated_cost_usd ?? Number.NaN, 12);
    expect(summary).toMatchObject({ features: 2, users: 3, tokens: whole?.tokens, estimated_cost_usd: expect.closeTo(whole?.estimated_cost_usd ?? Number.NaN, 12) });
    expect(whole).toMatchObject({ features: 0, rows: 5 });
  });

  it('keeps the two models of one session in its one feature', async () => {
    const rows = await athena.query("SELECT model, feature FROM team_usage WHERE user_email = 'ann@acme.test' AND repo = 'acme/shop' ORDER BY model, feature");
    expect(rows.map((row) => [row.model, row.feature])).toEqual([
      ['claude-haiku-4-5', 'checkout'],
      ['claude-opus-4-8', 'checkout'],
      ['claude-opus-4-8', 'pay-9'],
      ['claude-opus-4-8', 'unattributed'],
    ]);
  });

  it('answers the named query "cost per feature, by team and repo"', async () => {
    const name = 'cost-per-feature-by-team-and-repo.sql';
    const sql = renderQuery(name, readFileSync(new URL(`../../dashboards/athena/${name}`, import.meta.url), 'utf8'), { seat_price_usd: 20 });
    const rows = await athena.query(sql);
    expect(rows.map((row) => [row.month, row.feature, row.team, row.repo, Number(row.developers), Number(row.sessions), Number(row.tokens)])).toEqual([
      ['2026-11', 'checkout', 'unassigned', 'acme/shop', 2, 3, 5_500],
      ['2026-11', 'checkout', 'unassigned', 'acme/payments', 1, 1, 2_000],
      ['2026-11', 'pay-9', 'unassigned', 'acme/shop', 1, 1, 24_000],
      ['2026-11', 'unattributed', 'unassigned', 'acme/shop', 2, 1, 96_000],
    ]);
    // The Grafana board's table is that query over its range: the same rows for a range holding the day, none outside.
    const range = (from: string, to: string) => (text: string) =>
      text.replace("date_format($__timeFrom(), '%Y-%m-%d')", `'${from}'`).replace("date_format($__timeTo(), '%Y-%m-%d')", `'${to}'`);
    expect(await athena.query(range('2026-11-01', '2026-11-30')(featureTableSql()))).toEqual(rows);
    expect(await athena.query(range('2026-11-23', '2026-11-30')(featureTableSql()))).toEqual([]);
    const bars = await athena.query(range('2026-11-22', '2026-11-22')(FEATURE_COST_SQL));
    expect(bars.map((bar) => bar.feature)).toEqual(['unattributed', 'pay-9', 'checkout']);
    expect(bars.reduce((sum, bar) => sum + Number(bar.estimated_cost_usd), 0)).toBeCloseTo(rows.reduce((sum, row) => sum + Number(row.estimated_cost_usd), 0), 12);
  });
});

describe('pull requests in the rollup', () => {
  const ports = (pullRequests: InMemoryPullRequests) => ({
    usage: new DuckDbDayUsageSource(store),
    analytics: new InMemoryAnalyticsSource([]),
    teams: { selectedTeams: async () => null },
    pullRequests,
    pricer: defaultPriceBook(),
    output: new InMemoryRollupOutput(),
  });

  it('are read once a run, since the first day began', async () => {
    const pullRequests = new InMemoryPullRequests([]);
    await rollupDays(['2026-11-21', DAY], ports(pullRequests));
    expect(pullRequests.asked).toEqual([Date.parse('2026-11-21T00:00:00Z')]);
  });

  it('leave every session unattributed when none are configured', async () => {
    const [summary] = await rollupDays([DAY], ports(new InMemoryPullRequests(null)));
    expect(summary).toMatchObject({ features: 0, users: 3 });
  });

  it('fail the run, writing nothing, when GitHub cannot be read', async () => {
    const pullRequests = new InMemoryPullRequests([]);
    pullRequests.failure = new Error('GET /repos/acme/shop/pulls answered 401: Bad credentials');
    const run = ports(pullRequests);
    await expect(rollupDays([DAY], run)).rejects.toThrow(new RollupDayError(DAY, new Error('GitHub pull requests: GET /repos/acme/shop/pulls answered 401: Bad credentials')));
    expect(run.output.files.size).toBe(0);
  });
});
