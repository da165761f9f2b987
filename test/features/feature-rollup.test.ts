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
import { renderQuery } from '../../lib/team-queries.ts';
import { GITHUB_TOKEN, startFakeGitHub } from '../support/fake-github.ts';
import type { FakePullRequest } from '../support/fake-github.ts';
import { openRecordStore } from '../support/record-store.ts';
import { usage } from '../support/records.ts';
import { InMemoryAnalyticsSource, InMemoryPullRequests, InMemoryRollupOutput } from '../support/rollup-sources.ts';
import { rollupTablesIn } from '../support/rollup-output.ts';

const DAY = '2026-11-22';
const at = (time: string): string => `${DAY}T${time}:00Z`;
const ms = (time: string): number => Date.parse(at(time));

const pr = (fields: Partial<FakePullRequest> & Pick<FakePullRequest, 'repo' | 'number' | 'branch' | 'created'>): FakePullRequest => ({
  login: 'ann',
  body: null,
  labels: [],
  updated: at('18:00'),
  merged: null,
  closed: null,
  commits: [{ login: 'ann', email: 'ann@acme.test', date: fields.created }],
  ...fields,
});

const PULL_REQUESTS: FakePullRequest[] = [
  // Two authors: Bob's commit carries a noreply address, so only the login mapping names him.
  pr({
    repo: 'acme/shop',
    number: 1,
    branch: 'feat/checkout',
    created: at('08:00'),
    merged: at('14:00'),
    closed: at('14:00'),
    commits: [
      { login: 'ann', email: 'ann@acme.test', date: at('08:00') },
      { login: 'bob', email: '42+bob@users.noreply.github.com', date: at('09:00') },
    ],
  }),
  // The same feature in a second repository, by its label; still open.
  pr({ repo: 'acme/payments', number: 7, branch: 'wip', labels: ['feature/checkout'], created: at('06:00') }),
  // Begun while PR 1 was still open: a session in both windows goes to the one it overlaps longer.
  pr({ repo: 'acme/shop', number: 2, branch: 'PAY-9-search', created: at('11:00'), merged: at('16:00'), closed: at('16:00') }),
];

const line = (id: string, fields: { user: string; repo: string; session: string | null; time: string; input: number; model?: string }) =>
  usage({
    id,
    user_email: fields.user,
    repo: fields.repo,
    session_id: fields.session,
    time_ms: ms(fields.time),
    model: fields.model ?? 'claude-opus-4-8',
    input_tokens: fields.input,
    cache_read_tokens: 0,
    output_tokens: 0,
  });

const RECORDS = [
  // Ann in acme/shop, 09:00–10:00 on two models: only PR 1 was open then.
  line('a1', { user: 'ann@acme.test', repo: 'acme/shop', session: 'a', time: '09:00', input: 1_000 }),
  line('a2', { user: 'Ann@Acme.test', repo: 'acme/shop', session: 'a', time: '10:00', input: 500, model: 'claude-haiku-4-5' }),
  // Ann in acme/payments: PR 7, the same feature.
  line('b1', { user: 'ann@acme.test', repo: 'acme/payments', session: 'b', time: '12:00', input: 2_000 }),
  // Bob, known to GitHub by his login only.
  line('c1', { user: 'bob@acme.test', repo: 'acme/shop', session: 'c', time: '09:30', input: 4_000 }),
  // Ann 11:30–15:00: 2.5 h within PR 1, 3.5 h within PR 2, so PR 2 (pay-9).
  line('d1', { user: 'ann@acme.test', repo: 'acme/shop', session: 'd', time: '11:30', input: 8_000 }),
  line('d2', { user: 'ann@acme.test', repo: 'acme/shop', session: 'd', time: '15:00', input: 16_000 }),
  // Carl is on no pull request; the last line has no session to attribute.
  line('e1', { user: 'carl@acme.test', repo: 'acme/shop', session: 'e', time: '10:00', input: 32_000 }),
  line('f1', { user: 'ann@acme.test', repo: 'acme/shop', session: null, time: '10:00', input: 64_000 }),
];

const store = await LocalDatabase.inMemory();
await (await openRecordStore(store)).write(RECORDS);
const github = await startFakeGitHub(PULL_REQUESTS);
afterAll(() => Promise.all([store.close(), github.close()]));

const env = { GITHUB_API_URL: github.url, GITHUB_TOKEN, SEATMETER_GITHUB_REPOS: 'acme/shop, acme/payments', SEATMETER_GITHUB_LOGIN_EMAILS: 'bob=bob@acme.test' };

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
