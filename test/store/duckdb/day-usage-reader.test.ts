import { afterAll, describe, expect, it } from 'vitest';
import { LocalUsageReports } from '../../../lambdas/local/usage-reports.ts';
import { defaultPriceBook } from '../../../lambdas/pricing/default-price-book.ts';
import { NO_FEATURES } from '../../../lambdas/features/day-features.ts';
import { PROBE_TOOL } from '../../../lambdas/probe/constants.ts';
import { dayBounds } from '../../../lambdas/rollup/day.ts';
import { teamUsageRows } from '../../../lambdas/rollup/team-usage.ts';
import { TeamAssignment } from '../../../lambdas/rollup/teams.ts';
import type { DayUsage, UsageKey } from '../../../lambdas/rollup/types.ts';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from '../../../lambdas/store/duckdb/day-usage-reader.ts';
import { openRecordStore } from '../../support/record-store.ts';
import { FIXTURE_DAY, fixtureDataDir } from '../../support/fixture-store.ts';
import { activity, usage } from '../../support/records.ts';

const keyOf = (row: { readonly [K in keyof UsageKey]?: string | null }) => [row.user_email, row.tool, row.model, row.repo].join('|');
const usd = (value: number | null) => Math.round((value ?? 0) * 1e9) / 1e9;

/** Per key: the five token sums and the client's own cost. */
function sumsByKey(day: DayUsage): Map<string, number[]> {
  const sums = new Map<string, number[]>();
  for (const line of day.lines) {
    const [input = 0, read = 0, write = 0, output = 0, reasoning = 0, reported = 0] = sums.get(keyOf(line)) ?? [];
    sums.set(keyOf(line), [
      input + line.input_tokens,
      read + line.cache_read_tokens,
      write + line.cache_write_tokens,
      output + line.output_tokens,
      reasoning + line.reasoning_tokens,
      usd(reported + (line.reported_cost_usd ?? 0)),
    ]);
  }
  return sums;
}

const fixtures = await LocalDatabase.open(await fixtureDataDir(), { readOnly: true });
afterAll(() => fixtures.close());

describe('reading a day out of the local store', () => {
  it('gives the same tokens, client cost and sessions per user, tool, model and repo as seatmeter report', async () => {
    const day = await new DuckDbDayUsageSource(fixtures).readDay(FIXTURE_DAY);
    const report = await new LocalUsageReports(fixtures).report({ ...dayBounds(FIXTURE_DAY), by: ['user', 'tool', 'model', 'repo'] });
    expect(sumsByKey(day)).toEqual(
      new Map(
        report.map((row) => [
          keyOf(row),
          [row.input_tokens, row.cache_read_tokens, row.cache_write_tokens, row.output_tokens, row.reasoning_tokens, usd(row.reported_cost_usd)],
        ]),
      ),
    );
    const sessions = new Map<string, number>();
    for (const entry of day.sessions) sessions.set(keyOf(entry), (sessions.get(keyOf(entry)) ?? 0) + 1);
    expect(sessions).toEqual(new Map(report.filter((row) => row.sessions > 0).map((row) => [keyOf(row), row.sessions])));
    // Read per session; summed here to the key's day total.
    const activity = new Map<string, number>();
    for (const entry of day.activity) activity.set([entry.tool, entry.model, entry.metric].join('|'), (activity.get([entry.tool, entry.model, entry.metric].join('|')) ?? 0) + entry.value);
    expect([...activity].map(([key, value]) => [...key.split('|').map((part) => (part === '' ? null : part)), Math.round(value * 1000) / 1000]).sort()).toEqual([
      ['claude_code', null, 'active_time_cli_s', 1.357],
      ['claude_code', 'claude-haiku-4-5', 'api_requests', 1],
      ['claude_code', 'claude-opus-4-8', 'api_requests', 6],
      ['codex', 'gpt-5', 'api_requests', 6],
      ['gemini_cli', 'gemini-2.5-pro', 'api_requests', 1],
      ['gemini_cli', 'gemini-3.5-flash-lite', 'api_requests', 2],
      ['gemini_cli', 'gemini-3.8-flash', 'api_requests', 2],
    ]);
  });

  it("reads only the day's records and leaves out the doctor's probe", async () => {
    const database = await LocalDatabase.inMemory();
    const start = dayBounds('2026-11-22').fromMs;
    await (await openRecordStore(database)).write([
      usage({ id: 'before', time_ms: start - 1 }),
      usage({ id: 'first', time_ms: start, input_tokens: 1 }),
      usage({ id: 'last', time_ms: start + 86_399_999, input_tokens: 2 }),
      usage({ id: 'after', time_ms: start + 86_400_000 }),
      usage({ id: 'probe', tool: PROBE_TOOL, model: 'seatmeter-doctor-probe' }),
      activity({ id: 'probe-activity', tool: PROBE_TOOL, metric: 'api_requests' }),
      activity({ id: 'not-for-teams', metric: 'edit_accepted' }),
    ]);
    const day = await new DuckDbDayUsageSource(database).readDay('2026-11-22');
    expect(day.lines.map((line) => [line.tool, line.time_ms, line.input_tokens])).toEqual([
      ['claude_code', start, 1],
      ['claude_code', start + 86_400_000 - 1_800_000, 2],
    ]);
    // One session, spanning its first and last record of the day.
    expect(day.sessions.map((entry) => [entry.first_ms, entry.last_ms])).toEqual([[start, start + 86_399_999]]);
    expect(day.activity).toEqual([]);
    await database.close();
  });

  it('keeps records of different tiers apart, so re-pricing costs what pricing each record did', async () => {
    const database = await LocalDatabase.inMemory();
    const pricer = defaultPriceBook();
    const records = [150_000, 250_000].map((input, i) =>
      usage({ id: `tier-${i}`, model: 'claude-sonnet-4-5', input_tokens: input, cache_read_tokens: 0, output_tokens: 1_000, time_ms: Date.parse('2026-11-22T10:0' + i + ':00Z') }),
    );
    await (await openRecordStore(database)).write(records);
    const day = await new DuckDbDayUsageSource(database).readDay('2026-11-22');
    const perRecord = records.reduce((sum, record) => sum + (pricer.price(record.model, record, record.time_ms).estimated_cost_usd ?? Number.NaN), 0);
    const [row] = teamUsageRows(day, TeamAssignment.resolve({ kind: 'list', names: [] }, new Map()), pricer, NO_FEATURES);
    expect(day.lines).toHaveLength(2);
    // $3/M below 200k input, $6/M above; output $15/M and $22.50/M.
    expect(row?.estimated_cost_usd).toBeCloseTo(perRecord, 12);
    expect(perRecord).toBeCloseTo(0.45 + 0.015 + 1.5 + 0.0225, 12);
    await database.close();
  });
});
