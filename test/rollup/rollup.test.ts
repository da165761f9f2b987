import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { RollupDayError } from '../../lambdas/rollup/errors.ts';
import { FolderRollupOutput } from '../../lambdas/rollup/output/folder-output.ts';
import { rollupDays } from '../../lambdas/rollup/rollup.ts';
import type { RollupPorts } from '../../lambdas/rollup/rollup.ts';
import type { TeamGroupRule } from '../../lambdas/rollup/sources.ts';
import type { DayUsageSource } from '../../lambdas/rollup/types.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from '../../lambdas/store/duckdb/day-usage-reader.ts';
import { openRecordStore } from '../support/record-store.ts';
import { FIXTURE_DAY, fixtureDataDir } from '../support/fixture-store.ts';
import { InMemoryAnalyticsSource, InMemoryDayUsageSource, InMemoryPullRequests, InMemoryRollupOutput, InMemoryTeamDirectory } from '../support/rollup-sources.ts';
import { rollupTablesIn } from '../support/rollup-output.ts';
import { usage } from '../support/records.ts';
import { actorDay, line, modelUsage } from './builders.ts';
import { teamsOf } from '../../lambdas/rollup/teams.ts';

const RULE: TeamGroupRule = { kind: 'prefix', prefix: 'team-' };
const DIRECTORY = { 'team-platform': ['DEV@example.com'], 'team-payments': ['dev@example.com', 'ana@example.com'], 'all-staff': ['carl@example.com'] };
const ACTOR_DAYS = [
  actorDay('Dev@Example.com', [modelUsage('claude-opus-4-8', 51_000, 0.08), modelUsage('claude-haiku-4-5', 5_000, 0.001)]),
  actorDay('ana@example.com', [modelUsage('claude-opus-4-8', 12_000, 0.02)]),
];

const fixtures = await LocalDatabase.open(await fixtureDataDir(), { readOnly: true });
afterAll(() => fixtures.close());

function ports(output: RollupPorts['output'], usage: DayUsageSource = new DuckDbDayUsageSource(fixtures)): RollupPorts & { analytics: InMemoryAnalyticsSource; directory: InMemoryTeamDirectory } {
  const directory = new InMemoryTeamDirectory(DIRECTORY);
  return { usage, analytics: new InMemoryAnalyticsSource(ACTOR_DAYS), pullRequests: new InMemoryPullRequests(null), directory, teams: teamsOf(RULE, directory), pricer: defaultPriceBook(), output };
}

function filesUnder(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => [join(entry.parentPath, entry.name).slice(dir.length + 1), readFileSync(join(entry.parentPath, entry.name))]));
}

describe('the daily team rollup', () => {
  it('rolls up with neither partner configured: everyone unassigned, coverage not_configured, no directory call', async () => {
    const output = new InMemoryRollupOutput();
    const notConfigured = { ...ports(output), analytics: { actorDays: async () => null }, teams: { selectedTeams: async () => null } };
    notConfigured.directory.failure = new Error('an unconfigured directory is never read');
    const [summary] = await rollupDays([FIXTURE_DAY], notConfigured);
    expect(summary).toMatchObject({ rows: 7, users: 1, teams: 1, tokens: 84_896, analytics_actors: 0 });
    expect(summary?.coverage).toEqual({ both: 0, telemetry_only: 0, analytics_only: 0, not_configured: 1 });
    const map = JSON.parse(new TextDecoder().decode(output.files.get('team_map/latest.json')?.body)) as { users: Record<string, string> };
    expect(map.users).toEqual({});
  });

  it('writes the three tables and the team map of a day, and the same bytes again on a re-run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-'));
    const [summary] = await rollupDays([FIXTURE_DAY], ports(new FolderRollupOutput(dir)));
    const first = filesUnder(dir);
    expect([...first.keys()].sort()).toEqual([
      'claude_code_analytics/dt=2026-11-22/part-0.parquet',
      'claude_code_coverage/dt=2026-11-22/part-0.parquet',
      'team_map/dt=2026-11-22/team_map.json',
      'team_map/latest.json',
      'team_usage/dt=2026-11-22/part-0.parquet',
    ]);
    expect(summary).toMatchObject({ day: FIXTURE_DAY, rows: 7, users: 1, teams: 2, tokens: 84_896, unidentified_tokens: 15_462, coverage: { both: 1, telemetry_only: 0, analytics_only: 1 } });

    await rollupDays([FIXTURE_DAY], ports(new FolderRollupOutput(dir)));
    expect(filesUnder(dir)).toEqual(first);

    const tables = await rollupTablesIn(dir);
    expect(await tables.query('SELECT DISTINCT team, user_email FROM team_usage ORDER BY team')).toEqual([
      // Alphabetically first of the two team groups dev@ is in; the all-staff group is not a team.
      { team: 'team-payments', user_email: 'dev@example.com' },
      { team: 'unassigned', user_email: null },
    ]);
    expect(await tables.query('SELECT user_email, coverage, telemetry_tokens, analytics_tokens FROM claude_code_coverage ORDER BY user_email')).toEqual([
      { user_email: 'ana@example.com', coverage: 'analytics_only', telemetry_tokens: 0, analytics_tokens: 12_000 },
      { user_email: 'dev@example.com', coverage: 'both', telemetry_tokens: 55_973, analytics_tokens: 56_000 },
    ]);
    // Anthropic's numbers stay in their own table: team_usage holds exactly what telemetry measured.
    expect(await tables.query('SELECT sum(input_tokens)::BIGINT AS input FROM claude_code_analytics')).toEqual([{ input: 68_000 }]);
    expect(JSON.parse(readFileSync(join(dir, 'team_map/latest.json'), 'utf8')).users).toEqual({
      'ana@example.com': 'team-payments',
      'dev@example.com': 'team-payments',
    });
    await tables.close();
  });

  it('picks up late records when the day is rolled up again', async () => {
    const database = await LocalDatabase.inMemory();
    const store = await openRecordStore(database);
    const dir = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-late-'));
    const rollup = () => rollupDays([FIXTURE_DAY], ports(new FolderRollupOutput(dir), new DuckDbDayUsageSource(database)));
    await store.write([usage({ id: 'on-time', input_tokens: 100 })]);
    await rollup();
    await store.write([usage({ id: 'late', input_tokens: 23 })]);
    await rollup();
    const tables = await rollupTablesIn(dir);
    expect(await tables.query('SELECT input_tokens FROM team_usage')).toEqual([{ input_tokens: 123 }]);
    await Promise.all([tables.close(), database.close()]);
  });

  it.each([
    ['the team directory', (p: ReturnType<typeof ports>) => (p.directory.failure = new Error('okta: 403 Forbidden')), 'team directory: okta: 403 Forbidden'],
    ['the Analytics API', (p: ReturnType<typeof ports>) => (p.analytics.failure = new Error('anthropic: 500')), 'Claude Code Analytics API: anthropic: 500'],
  ])('writes nothing of a day when %s fails, and says which day and source', async (_name, breakIt, message) => {
    const output = new InMemoryRollupOutput();
    const broken = ports(output, new InMemoryDayUsageSource(new Map([[FIXTURE_DAY, { lines: [line()], sessions: [], activity: [] }]])));
    breakIt(broken);
    const run = rollupDays([FIXTURE_DAY], broken);
    await expect(run).rejects.toThrow(RollupDayError);
    await expect(run).rejects.toThrow(`rollup of ${FIXTURE_DAY} failed: ${message}`);
    expect(output.files.size).toBe(0);
  });

  it('keeps the days of a range finished before a failing store, and stops there', async () => {
    const output = new InMemoryRollupOutput();
    const store: DayUsageSource = {
      readDay: async (day) => {
        if (day === '2026-11-23') throw new Error('ThrottlingException: rate exceeded');
        return { lines: [line()], sessions: [], activity: [] };
      },
    };
    const p = ports(output, store);
    await expect(rollupDays(['2026-11-22', '2026-11-23', '2026-11-24'], p)).rejects.toThrow(
      'rollup of 2026-11-23 failed: usage store: ThrottlingException: rate exceeded',
    );
    expect([...output.files.keys()].filter((key) => key.endsWith('.parquet')).map((key) => key.split('/')[1])).toEqual(['dt=2026-11-22', 'dt=2026-11-22', 'dt=2026-11-22']);
    expect(p.analytics.asked).toEqual(['2026-11-22', '2026-11-23']);
  });
});
