import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rollupCommandWith } from '../../bin/commands/rollup.ts';
import type { RollupPartners } from '../../lambdas/rollup/partners.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';
import { startFakeOkta } from '../support/fake-okta.ts';
import { FIXTURE_DAY, fixtureDataDir } from '../support/fixture-store.ts';
import { exited, spawnServer } from '../support/local-server-process.ts';
import { InMemoryAnalyticsSource, InMemoryPullRequests, InMemoryTeamDirectory } from '../support/rollup-sources.ts';
import { replayAllCaptures } from '../support/http-replay.ts';
import { runCli } from '../support/run-cli.ts';
import { teamsOf } from '../../lambdas/rollup/teams.ts';

let dataDir = '';
beforeAll(async () => {
  dataDir = await fixtureDataDir();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function partners(): RollupPartners {
  return { analytics: new InMemoryAnalyticsSource([]), pullRequests: new InMemoryPullRequests(null), teams: teamsOf({ kind: 'prefix', prefix: 'team-' }, new InMemoryTeamDirectory({ 'team-payments': ['dev@example.com'] })) };
}

/** Runs the command in this process over in-memory partner sources; what it printed, by stream. */
async function rollup(args: string[], sources: RollupPartners = partners()): Promise<{ code: number; stdout: string; stderr: string }> {
  const printed = { stdout: '', stderr: '' };
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((printed.stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((printed.stderr += String(chunk)), true));
  const code = await rollupCommandWith(() => sources).run(args);
  vi.restoreAllMocks();
  return { code, ...printed };
}

const outDir = () => mkdtempSync(join(tmpdir(), 'seatmeter-rollup-cli-'));

describe('seatmeter rollup', () => {
  it('rolls the local store up into a folder and says what each day came to', async () => {
    const out = outDir();
    const result = await rollup(['--from', '2026-11-21', '--to', FIXTURE_DAY, '--local', '--data-dir', dataDir, '--out', out]);
    expect(result).toEqual({
      code: 0,
      stdout:
        '2026-11-21: 0 rows, 0 developers in 0 teams, 0 tokens, $0.0000 estimated; Claude Code coverage: 0 both, 0 telemetry_only, 0 analytics_only\n' +
        '2026-11-22: 7 rows, 1 developer in 2 teams, 84896 tokens (15462 without a user identity), $0.0917 estimated; Claude Code coverage: 0 both, 1 telemetry_only, 0 analytics_only\n',
      stderr: '',
    });
    expect(readdirSync(join(out, 'team_usage')).sort()).toEqual(['dt=2026-11-21', 'dt=2026-11-22']);
  });

  it('reads Timestream and writes the team bucket with the AWS SDK when not --local and not --out', async () => {
    const s3 = mockClient(S3Client);
    const timestreamQuery = mockClient(TimestreamQueryClient);
    s3.on(PutObjectCommand).resolves({});
    timestreamQuery.on(QueryCommand).callsFake((input: { QueryString: string }) =>
      input.QueryString.startsWith('DESCRIBE')
        ? { QueryId: 'q', ColumnInfo: [{ Name: 'Column', Type: { ScalarType: 'VARCHAR' } }], Rows: ['tool', 'user_email', 'model', 'repo'].map((name) => ({ Data: [{ ScalarValue: name }] })) }
        : { QueryId: 'q', ColumnInfo: [], Rows: [] },
    );
    vi.stubEnv('SEATMETER_TIMESTREAM_DATABASE', 'seatmeter');
    vi.stubEnv('SEATMETER_TABLE_USAGE', 'events');
    vi.stubEnv('SEATMETER_TABLE_ACTIVITY', 'events');
    vi.stubEnv('SEATMETER_TEAM_PREFIX', 'rollup/');
    const result = await rollup(['--day', FIXTURE_DAY, '--bucket', 'team-bucket']);
    expect(result.code).toBe(0);
    expect(timestreamQuery.commandCalls(QueryCommand).map((call) => call.args[0].input.QueryString?.match(/"seatmeter"\."\w+"/)?.[0])).toEqual(
      Array(4).fill('"seatmeter"."events"'),
    );
    expect(s3.commandCalls(PutObjectCommand).map((call) => `${call.args[0].input.Bucket}/${call.args[0].input.Key}`)).toEqual([
      `team-bucket/rollup/team_usage/dt=${FIXTURE_DAY}/part-0.parquet`,
      `team-bucket/rollup/claude_code_analytics/dt=${FIXTURE_DAY}/part-0.parquet`,
      `team-bucket/rollup/claude_code_coverage/dt=${FIXTURE_DAY}/part-0.parquet`,
      `team-bucket/rollup/team_map/dt=${FIXTURE_DAY}/team_map.json`,
      'team-bucket/rollup/team_map/latest.json',
    ]);
    s3.restore();
    timestreamQuery.restore();
  });

  it('fails with exit code 1, naming the day and the source, and writes nothing of that day', async () => {
    const out = outDir();
    const sources = partners();
    (sources.analytics as InMemoryAnalyticsSource).failure = new Error('429 rate limited, retries exhausted');
    const result = await rollup(['--day', FIXTURE_DAY, '--local', '--data-dir', dataDir, '--out', out], sources);
    expect([result.code, result.stdout]).toEqual([1, '']);
    // The last line: Node may print a warning of the AWS SDK's before it.
    expect(result.stderr.split('\n').at(-2)).toBe(`seatmeter rollup: rollup of ${FIXTURE_DAY} failed: Claude Code Analytics API: 429 rate limited, retries exhausted`);
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([
    [[], 'give --day, or both --from and --to'],
    [['--day', FIXTURE_DAY, '--from', FIXTURE_DAY], 'give --day, or --from and --to, not both'],
    [['--day', '2026-11-31', '--out', 'x'], '--day "2026-11-31" is not a day (use YYYY-MM-DD)'],
    [['--from', '2026-11-22', '--to', '2026-11-01', '--out', 'x'], 'the range ends (2026-11-01) before it starts (2026-11-22)'],
    [['--day', FIXTURE_DAY], 'give --out DIR, or the team bucket with --bucket or SEATMETER_TEAM_BUCKET'],
    [['--day', FIXTURE_DAY, '--out', 'x', '--bucket', 'b'], 'give --out or --bucket, not both'],
    [['--day', FIXTURE_DAY, '--out', 'x'], 'environment variable SEATMETER_TIMESTREAM_DATABASE is required to read the deployed store (or pass --local)'],
    [['--day', FIXTURE_DAY, '--out', 'x', '--local', '--data-dir', join(tmpdir(), 'seatmeter-nothing-here')], 'no seatmeter data in'],
  ])('refuses %j with exit code 2', async (args, message) => {
    vi.stubEnv('SEATMETER_TEAM_BUCKET', '');
    vi.stubEnv('SEATMETER_TIMESTREAM_DATABASE', '');
    const result = await rollup(args);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
  });

  it('reads the local store through the server that holds it, with the same result as from the file', async () => {
    const busy = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-busy-'));
    const server = await spawnServer(busy);
    try {
      expect(new Set(await replayAllCaptures(server.url))).toEqual(new Set([200]));
      const through = await rollup(['--day', FIXTURE_DAY, '--local', '--data-dir', busy, '--out', outDir()]);
      const direct = await rollup(['--day', FIXTURE_DAY, '--local', '--data-dir', dataDir, '--out', outDir()]);
      expect(through).toEqual({ code: 0, stdout: direct.stdout, stderr: '' });
      expect(direct.stdout).toContain(`${FIXTURE_DAY}: 7 rows, 1 developer in 2 teams, 84896 tokens (15462 without a user identity)`);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    // With the server gone (its server.json removed on exit), the command opens the file itself.
    const after = await rollup(['--day', FIXTURE_DAY, '--local', '--data-dir', busy, '--out', outDir()]);
    expect(after.stdout).toContain(`${FIXTURE_DAY}: 7 rows, 1 developer in 2 teams, 84896 tokens (15462 without a user identity)`);
  }, 60_000);

  it('says why when the server it was pointed at cannot answer', async () => {
    const result = await rollup(['--day', FIXTURE_DAY, '--local', '--url', 'http://127.0.0.1:9', '--out', outDir()]);
    expect([result.code, result.stderr]).toEqual([1, expect.stringContaining('cannot reach seatmeter at http://127.0.0.1:9')]);
  });

  it('reads Okta and the Analytics API as the environment configures them, and refuses to run without a team rule', async () => {
    const okta = await startFakeOkta({ apiToken: 'okta-ssws-test-token', groups: [{ name: 'team-payments', members: ['dev@example.com'] }] });
    const anthropic = await startFakeAnthropic({ adminKey: 'sk-ant-admin01-test-key', days: {} });
    const env = { OKTA_ORG_URL: okta.url, OKTA_API_TOKEN: 'okta-ssws-test-token', ANTHROPIC_ADMIN_API_KEY: 'sk-ant-admin01-test-key', ANTHROPIC_BASE_URL: anthropic.url };
    try {
      const out = outDir();
      const result = await runCli(['rollup', '--day', FIXTURE_DAY, '--local', '--data-dir', dataDir, '--out', out, '--team-groups', 'prefix:team-'], env);
      expect([result.code, result.stdout]).toEqual([0, expect.stringContaining(`${FIXTURE_DAY}: 7 rows, 1 developer in 2 teams`)]);
      expect([okta.calls.groups, okta.calls.members, anthropic.calls.usageReport]).toEqual([1, 1, 1]);

      const noRule = await runCli(['rollup', '--day', FIXTURE_DAY, '--local', '--data-dir', dataDir, '--out', outDir()], { ...env, SEATMETER_TEAM_GROUPS: '' });
      expect([noRule.code, noRule.stderr]).toEqual([2, expect.stringContaining('team directory: no team rule: pass --team-groups, set SEATMETER_TEAM_GROUPS or "team_groups" in the Okta secret')]);
    } finally {
      await Promise.all([okta.close(), anthropic.close()]);
    }
    expect((await runCli(['--help'])).stdout).toContain('rollup');
  }, 60_000);
});
