import { describe, expect, it, vi } from 'vitest';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { RollupDayError, RollupInputError } from '../../lambdas/rollup/errors.ts';
import { rollupConfigFrom } from '../../lambdas/rollup-lambda/lambda-config.ts';
import { createRollupHandler, daysOfEvent } from '../../lambdas/rollup-lambda/lambda-handler.ts';
import { PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import type { DaySummary } from '../../lambdas/rollup/rollup.ts';
import type { RollupRun } from '../../lambdas/rollup-lambda/run-metrics.ts';
import { InMemoryAnalyticsSource, InMemoryDayUsageSource, InMemoryPullRequests, InMemoryRollupOutput, InMemoryTeamDirectory } from '../support/rollup-sources.ts';
import { line } from '../rollup/builders.ts';
import { teamsOf } from '../../lambdas/rollup/teams.ts';

const NOW = Date.parse('2026-11-23T01:30:00Z');

describe('the rollup Lambda', () => {
  it.each([
    [{ scheduledTime: '2026-11-23T01:30:00Z' }, '2026-11-23T01:30:05Z', ['2026-11-21', '2026-11-22']],
    // A retry that runs after midnight still redoes the days of its schedule.
    [{ scheduledTime: '2026-11-23T01:30:00Z' }, '2026-11-24T00:10:00Z', ['2026-11-21', '2026-11-22']],
    [{ day: '2026-10-01' }, '2026-11-23T01:30:05Z', ['2026-10-01']],
    [{}, '2026-11-23T01:30:05Z', ['2026-11-21', '2026-11-22']],
  ])('rolls up the days %j asks for when run at %s', (event, now, days) => {
    expect(daysOfEvent(event, Date.parse(now))).toEqual(days);
  });

  it.each([
    [{ day: 'yesterday' }, 'the event\'s "day" "yesterday" is not a day (use YYYY-MM-DD)'],
    [{ scheduledTime: 'soon' }, 'the event\'s "scheduledTime" "soon" is not a timestamp'],
  ])('refuses the event %j', (event, message) => {
    expect(() => daysOfEvent(event, NOW)).toThrow(new RollupInputError(message));
  });

  it('logs each day it wrote and throws when a day fails, so the schedule retries and then dead-letters', async () => {
    const analytics = new InMemoryAnalyticsSource([]);
    const logged: DaySummary[] = [];
    const handler = createRollupHandler({
      ports: { usage: new InMemoryDayUsageSource(new Map([['2026-11-22', { lines: [line()], sessions: [], activity: [] }]])), output: new InMemoryRollupOutput(), pricer: defaultPriceBook() },
      partners: { analytics, pullRequests: new InMemoryPullRequests(null), teams: teamsOf({ kind: 'prefix', prefix: 'team-' }, new InMemoryTeamDirectory({})) },
      now: () => NOW,
      log: (summary) => logged.push(summary),
    });
    const summaries = await handler({ scheduledTime: '2026-11-23T01:30:00Z' });
    expect(summaries.map((summary) => [summary.day, summary.rows])).toEqual([
      ['2026-11-21', 0],
      ['2026-11-22', 1],
    ]);
    expect(logged).toEqual(summaries);
    analytics.failure = new Error('529 overloaded');
    await expect(handler({})).rejects.toThrow(new RollupDayError('2026-11-21', new Error('Claude Code Analytics API: 529 overloaded')));
  });

  it('reports every run once, with the days it asked for and its duration, whether it succeeded or failed', async () => {
    const analytics = new InMemoryAnalyticsSource([]);
    const runs: RollupRun[] = [];
    // Each reading of the clock is 1.5 s after the one before: a run's duration is its end reading minus its start.
    let clock = NOW;
    const handler = createRollupHandler({
      ports: { usage: new InMemoryDayUsageSource(new Map()), output: new InMemoryRollupOutput(), pricer: defaultPriceBook() },
      partners: { analytics, pullRequests: new InMemoryPullRequests(null), teams: teamsOf({ kind: 'prefix', prefix: 'team-' }, new InMemoryTeamDirectory({})) },
      now: () => (clock += 1_500),
      report: (run) => runs.push(run),
    });
    await handler({ day: '2026-11-20' });
    analytics.failure = new Error('529 overloaded');
    await expect(handler({ scheduledTime: '2026-11-23T01:30:00Z' })).rejects.toThrow(RollupDayError);
    await expect(handler({ day: 'yesterday' })).rejects.toThrow(RollupInputError);
    expect(runs).toEqual([
      { days: ['2026-11-20'], durationMs: 1_500 },
      { days: ['2026-11-21', '2026-11-22'], durationMs: 1_500, failure: 'RollupDayError' },
      { days: [], durationMs: 1_500, failure: 'RollupInputError' },
    ]);
  });

  it('reads its settings once, naming any that is missing', () => {
    const env = { SEATMETER_TIMESTREAM_DATABASE: 'seatmeter', SEATMETER_TEAM_BUCKET: 'team-bucket', SEATMETER_TABLE_REQUEST: 'requests' };
    expect(rollupConfigFrom(env)).toEqual({
      store: { kind: 'timestream', database: 'seatmeter', tableNames: { usage: 'events', activity: 'events', request: 'requests' } },
      teamBucket: 'team-bucket',
      teamPrefix: '',
    });
    expect(() => rollupConfigFrom({ ...env, SEATMETER_TEAM_BUCKET: ' ' })).toThrow('environment variable SEATMETER_TEAM_BUCKET is required');
    // The rollup only reads: the lake needs its workgroup and database, not the delivery stream.
    const lake = { SEATMETER_STORE: 'lake', SEATMETER_LAKE_WORKGROUP: 'seatmeter', SEATMETER_LAKE_DATABASE: 'seatmeter_lake', SEATMETER_TEAM_BUCKET: 'team-bucket' };
    expect(rollupConfigFrom(lake).store).toEqual({ kind: 'lake', streamName: null, workGroup: 'seatmeter', database: 'seatmeter_lake' });
  });

  it('fails the run, naming what to set, before reading any usage when an Okta org is configured without a team rule', async () => {
    vi.stubEnv('SEATMETER_TIMESTREAM_DATABASE', 'seatmeter');
    vi.stubEnv('SEATMETER_TEAM_BUCKET', 'team-bucket');
    vi.stubEnv('OKTA_ORG_URL', 'https://acme.okta.com');
    vi.stubEnv('OKTA_API_TOKEN', 'okta-ssws-test-token');
    vi.stubEnv('SEATMETER_TEAM_GROUPS', '');
    const { handler } = await import('../../lambdas/rollup-lambda/lambda.ts');
    const run = handler({ scheduledTime: new Date().toISOString() });
    await expect(run).rejects.toThrow('team directory: no team rule: pass --team-groups, set SEATMETER_TEAM_GROUPS or "team_groups" in the Okta secret');
    await expect(run).rejects.toMatchObject({ cause: { cause: expect.any(PartnerConfigError) } });
    vi.unstubAllEnvs();
  });
});
