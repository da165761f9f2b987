import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pullRequestsPath } from '../../lambdas/local/pull-request-file.ts';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { SyncedPullRequests } from '../../lambdas/local/pull-request-file.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { startFakeGitHub } from '../support/fake-github.ts';
import { FEATURE_DAY, FEATURE_PULL_REQUESTS, FEATURE_RECORDS, featureEnv } from '../support/feature-scenario.ts';
import { openRecordStore } from '../support/record-store.ts';
import { rollupTablesIn } from '../support/rollup-output.ts';
import { runCli } from '../support/run-cli.ts';

const github = await startFakeGitHub(FEATURE_PULL_REQUESTS);
afterAll(() => github.close());
const env = featureEnv(github.url);
const DAY_RANGE = ['--from', FEATURE_DAY, '--to', '2026-11-23'];

/** A data directory whose store file holds the scenario's records, as `seatmeter serve` leaves it. */
async function dataDirWithRecords(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-features-'));
  const database = await LocalDatabase.open(dataDir);
  const store = await openRecordStore(database);
  await store.write(FEATURE_RECORDS);
  await store.applyJournal();
  await database.close();
  return dataDir;
}

const synced = (dataDir: string) => JSON.parse(readFileSync(pullRequestsPath(dataDir), 'utf8')) as SyncedPullRequests;

describe('seatmeter features sync', () => {
  it('reads every configured repository into the data directory, and adds to it on the next sync', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-features-'));
    const first = await runCli(['features', 'sync', '--data-dir', dataDir, '--since', '2026-11-01'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`3 pull requests updated since 2026-11-01 in 2 repositories; 3 in ${pullRequestsPath(dataDir)}\n  checkout: 2 pull requests\n  pay-9: 1 pull request\n`);
    const file = synced(dataDir);
    expect(file.pull_requests.map((pr) => [pr.repo, pr.number, pr.feature, pr.people])).toEqual([
      ['acme/payments', 7, 'checkout', ['ann@acme.test']],
      ['acme/shop', 1, 'checkout', ['ann@acme.test', 'bob@acme.test']],
      ['acme/shop', 2, 'pay-9', ['ann@acme.test']],
    ]);
    expect(file.since).toEqual({ 'acme/shop': '2026-11-01T00:00:00.000Z', 'acme/payments': '2026-11-01T00:00:00.000Z' });

    // A later, shorter window of one repository reads nothing new and forgets nothing.
    const second = await runCli(['features', 'sync', '--data-dir', dataDir, '--since', '2026-11-30', '--repos', 'acme/shop'], env);
    expect(second.stdout).toMatch(/^0 pull requests updated since 2026-11-30 in 1 repository; 3 in /);
    expect(synced(dataDir).pull_requests).toEqual(file.pull_requests);
    expect(synced(dataDir).since['acme/shop']).toBe('2026-11-01T00:00:00.000Z');
  }, 30_000);

  it('says what is missing or refused, and writes nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-features-'));
    const noRepos = await runCli(['features', 'sync', '--data-dir', dataDir], { GITHUB_TOKEN: 't', SEATMETER_GITHUB_REPOS: '' });
    expect([noRepos.code, noRepos.stderr]).toEqual([2, 'seatmeter features sync: no repositories: pass --repos owner/name,… or set SEATMETER_GITHUB_REPOS\n']);
    const badToken = await runCli(['features', 'sync', '--data-dir', dataDir], { ...env, GITHUB_TOKEN: 'ghp_wrong' });
    expect([badToken.code, badToken.stderr]).toEqual([1, 'seatmeter features sync: GitHub: GET /repos/acme/shop/pulls answered 401: Bad credentials\n']);
    const badSince = await runCli(['features', 'sync', '--data-dir', dataDir, '--since', 'last week'], env);
    expect([badSince.code, badSince.stderr]).toEqual([2, 'seatmeter features sync: --since "last week" is not a date (use YYYY-MM-DD, an ISO timestamp or epoch milliseconds)\n']);
    const unknown = await runCli(['features', 'pull'], env);
    expect(unknown.code).toBe(2);
    expect(() => readFileSync(pullRequestsPath(dataDir))).toThrow('ENOENT');
  }, 30_000);
});

describe('seatmeter report --by feature', () => {
  it('gives each session the feature of the pull request it worked toward, the features summing to the whole', async () => {
    const dataDir = await dataDirWithRecords();
    const before = await runCli(['report', '--data-dir', dataDir, '--by', 'feature', '--format', 'json', ...DAY_RANGE]);
    expect(before.stderr).toBe('seatmeter report: no pull requests synced yet (seatmeter features sync), so every session is unattributed\n');
    expect((JSON.parse(before.stdout) as ReportRow[]).map((row) => [row.feature, row.input_tokens, row.sessions])).toEqual([['unattributed', 127_500, 5]]);

    expect((await runCli(['features', 'sync', '--data-dir', dataDir, '--since', '2026-11-01'], env)).code).toBe(0);
    const after = await runCli(['report', '--data-dir', dataDir, '--by', 'feature', '--format', 'json', ...DAY_RANGE]);
    expect(after.stderr).toBe('');
    const rows = JSON.parse(after.stdout) as ReportRow[];
    expect(rows.map((row) => [row.feature, row.input_tokens, row.sessions])).toEqual([
      ['checkout', 7_500, 3],
      ['pay-9', 24_000, 1],
      ['unattributed', 96_000, 1],
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual(['feature', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'estimated_cost_usd', 'reported_cost_usd', 'sessions', 'unpriced_tokens']);
    const whole = JSON.parse((await runCli(['report', '--data-dir', dataDir, '--by', 'day', '--format', 'json', ...DAY_RANGE])).stdout) as ReportRow[];
    expect(rows.reduce((sum, row) => sum + (row.estimated_cost_usd ?? 0), 0)).toBeCloseTo(whole[0]?.estimated_cost_usd ?? Number.NaN, 12);

    const byRepo = await runCli(['report', '--data-dir', dataDir, '--by', 'repo,feature', '--format', 'csv', ...DAY_RANGE]);
    expect(byRepo.stdout.split('\n').slice(0, 4).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      'repo,feature,input_tokens',
      'acme/payments,checkout,2000',
      'acme/shop,checkout,5500',
      'acme/shop,pay-9,24000',
    ]);

    // The running server answers the same, from the same file.
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
    try {
      const live = await runCli(['report', '--data-dir', dataDir, '--by', 'feature', '--format', 'json', ...DAY_RANGE]);
      expect(JSON.parse(live.stdout)).toEqual(rows);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('is what seatmeter rollup --local writes per feature, from the same synced file', async () => {
    const dataDir = await dataDirWithRecords();
    expect((await runCli(['features', 'sync', '--data-dir', dataDir, '--since', '2026-11-01'], env)).code).toBe(0);
    const out = mkdtempSync(join(tmpdir(), 'seatmeter-features-out-'));
    const rollup = await runCli(['rollup', '--local', '--data-dir', dataDir, '--day', FEATURE_DAY, '--out', out]);
    expect(rollup.code).toBe(0);
    const athena = await rollupTablesIn(out);
    try {
      const rows = await athena.query('SELECT feature, sum(input_tokens)::BIGINT AS input_tokens FROM team_usage GROUP BY feature ORDER BY feature');
      expect(rows).toEqual([
        { feature: 'checkout', input_tokens: 7_500 },
        { feature: 'pay-9', input_tokens: 24_000 },
        { feature: 'unattributed', input_tokens: 96_000 },
      ]);
    } finally {
      await athena.close();
    }
  }, 60_000);

  it('refuses a pull-request file it cannot read, naming it', async () => {
    const dataDir = await dataDirWithRecords();
    writeFileSync(pullRequestsPath(dataDir), '{"synced_at":"x","since":{},"pull_requests":[{"repo":"acme/shop"}]}');
    const report = await runCli(['report', '--data-dir', dataDir, '--by', 'feature', ...DAY_RANGE]);
    expect([report.code, report.stderr]).toEqual([2, `seatmeter report: ${pullRequestsPath(dataDir)}: pull_requests[0] is not a pull request as features sync writes it; run seatmeter features sync again\n`]);
  }, 30_000);
});
