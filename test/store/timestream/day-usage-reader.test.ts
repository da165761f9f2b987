import { QueryCommand, TimestreamQueryClient, ValidationException } from '@aws-sdk/client-timestream-query';
import type { QueryRequest, QueryResponse, ScalarType } from '@aws-sdk/client-timestream-query';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { columnsOf } from '../../../lambdas/records/schema.ts';
import { TOKEN_FIELDS } from '../../../lambdas/records/types.ts';
import { TimestreamDayUsageSource } from '../../../lambdas/store/timestream/day-usage-reader.ts';
import { TimestreamAnswerError } from '../../../lambdas/store/timestream/query.ts';

const timestreamQuery = mockClient(TimestreamQueryClient);
afterEach(() => timestreamQuery.reset());

type Cell = string | number | null;

function page(columns: readonly (readonly [string, ScalarType])[], rows: readonly (readonly Cell[])[], nextToken?: string): QueryResponse {
  return {
    QueryId: 'q-1',
    ColumnInfo: columns.map(([Name, ScalarType]) => ({ Name, Type: { ScalarType } })),
    Rows: rows.map((row) => ({ Data: row.map((cell) => (cell === null ? { NullValue: true } : { ScalarValue: String(cell) })) })),
    NextToken: nextToken,
  };
}

const ALL_COLUMNS = ['time', 'measure_name', 'record_id', ...new Set([...columnsOf('usage'), ...columnsOf('activity')].map((column) => column.name))];

function described(columns: readonly string[]): QueryResponse {
  return page([['Column', 'VARCHAR'], ['Type', 'VARCHAR']], columns.map((name) => [name, 'varchar']));
}

const KEY: readonly (readonly [string, ScalarType])[] = [
  ['user_email', 'VARCHAR'],
  ['tool', 'VARCHAR'],
  ['model', 'VARCHAR'],
  ['repo', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
];
const LINE_COLUMNS: readonly (readonly [string, ScalarType])[] = [
  ...KEY,
  ['time_ms', 'BIGINT'],
  ['tier_band', 'INTEGER'],
  ...TOKEN_FIELDS.map((name) => [name, 'BIGINT'] as const),
  ['reported_cost_usd', 'DOUBLE'],
];
const TEN_AM = Date.parse('2026-11-22T10:00:00Z');

/** Answers each query by what it asks for; every answer is `pages` of the matching kind. */
function answer(pages: { describe: (table: string) => QueryResponse; lines: QueryResponse[]; sessions: QueryResponse[]; activity: QueryResponse[] }): void {
  timestreamQuery.on(QueryCommand).callsFake((input: QueryRequest) => {
    const sql = input.QueryString ?? '';
    const describe = /^DESCRIBE "seatmeter"\."([^"]+)"$/.exec(sql);
    if (describe !== null) return describe[1] === undefined ? {} : pages.describe(describe[1]);
    const kind = sql.includes('tier_band') ? pages.lines : sql.includes('AS first_ms') ? pages.sessions : pages.activity;
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return kind[index] ?? page([], []);
  });
}

function source(tableNames = { usage: 'events', activity: 'events', request: 'events' }): TimestreamDayUsageSource {
  return new TimestreamDayUsageSource({ client: new TimestreamQueryClient({ region: 'eu-west-1' }), databaseName: 'seatmeter', tableNames });
}

const queries = () => timestreamQuery.commandCalls(QueryCommand).map((call) => call.args[0].input);

describe('reading a day out of Timestream', () => {
  it('reads every page of a result, including an empty page the query returned while still running', async () => {
    const line = (input: number) => ['dev@example.com', 'claude_code', 'claude-opus-4-8', null, 's-1', TEN_AM, 0, input, 7000, 300, 56, 0, 0.012945];
    answer({
      describe: () => described(ALL_COLUMNS),
      lines: [page(LINE_COLUMNS, [line(1234)], '1'), page(LINE_COLUMNS, [], '2'), page(LINE_COLUMNS, [line(2468)])],
      sessions: [page([...KEY, ['first_ms', 'BIGINT'], ['last_ms', 'BIGINT']], [['dev@example.com', 'claude_code', 'claude-opus-4-8', null, 's-1', TEN_AM, TEN_AM + 60_000]])],
      activity: [page([...KEY, ['metric', 'VARCHAR'], ['value', 'DOUBLE']], [['dev@example.com', 'claude_code', null, null, 's-1', 'active_time_cli_s', 1.357]])],
    });
    const day = await source().readDay('2026-11-22');
    expect(day.lines.map((entry) => [entry.input_tokens, entry.repo, entry.time_ms, entry.reported_cost_usd])).toEqual([
      [1234, null, TEN_AM, 0.012945],
      [2468, null, TEN_AM, 0.012945],
    ]);
    expect(day.sessions).toEqual([{ user_email: 'dev@example.com', tool: 'claude_code', model: 'claude-opus-4-8', repo: null, session_id: 's-1', first_ms: TEN_AM, last_ms: TEN_AM + 60_000 }]);
    expect(day.activity).toEqual([{ user_email: 'dev@example.com', tool: 'claude_code', model: null, repo: null, session_id: 's-1', metric: 'active_time_cli_s', value: 1.357 }]);
    const lineQueries = queries().filter((query) => query.QueryString?.includes('tier_band'));
    expect(lineQueries.map((query) => query.NextToken)).toEqual([undefined, '1', '2']);
    // A continuation must repeat the query text it continues.
    expect(new Set(lineQueries.map((query) => query.QueryString)).size).toBe(1);
  });

  it("selects the day's records of each kind in the one events table, by measure name and time", async () => {
    answer({ describe: () => described(ALL_COLUMNS), lines: [], sessions: [], activity: [] });
    expect(await source().readDay('2026-11-22')).toEqual({ lines: [], sessions: [], activity: [] });
    const texts = queries().map((query) => query.QueryString ?? '');
    expect(texts.filter((text) => text.startsWith('DESCRIBE'))).toEqual(['DESCRIBE "seatmeter"."events"']);
    const range = `time >= from_milliseconds(${Date.parse('2026-11-22T00:00:00Z')}) AND time < from_milliseconds(${Date.parse('2026-11-23T00:00:00Z')})`;
    const [lines, sessions, activity] = texts.filter((text) => !text.startsWith('DESCRIBE'));
    expect(lines).toContain(`FROM "seatmeter"."events" WHERE measure_name = 'usage' AND ${range} AND tool <> 'seatmeter-doctor'`);
    expect(lines).toContain('to_milliseconds(bin(time, 1800000ms)) AS time_ms');
    expect(lines).toContain('WHEN coalesce(input_tokens, 0) + coalesce(cache_read_tokens, 0) + coalesce(cache_write_tokens, 0) > 200000 THEN 3');
    expect(sessions).toContain('min(to_milliseconds(bin(time, 1ms))) AS first_ms');
    expect(sessions).toContain('AND session_id IS NOT NULL GROUP BY user_email, tool, model, repo, session_id');
    expect(activity).toContain(`FROM "seatmeter"."events" WHERE measure_name = 'activity' AND ${range}`);
    expect(activity).toContain("metric IN ('api_requests', 'lines_added', 'lines_removed', 'commits', 'pull_requests', 'active_time_user_s', 'active_time_cli_s')");
  });

  it('reads a column no record ever carried as null instead of failing the query', async () => {
    answer({ describe: () => described(ALL_COLUMNS.filter((name) => name !== 'repo' && name !== 'reported_cost_usd')), lines: [], sessions: [], activity: [] });
    await source().readDay('2026-11-22');
    const lines = queries().find((query) => query.QueryString?.includes('tier_band'))?.QueryString ?? '';
    expect(lines).toContain('CAST(NULL AS VARCHAR) AS repo');
    expect(lines).toContain('sum(CAST(NULL AS DOUBLE)) AS reported_cost_usd');
  });

  it('reads each kind from its own table where the deployment keeps them apart', async () => {
    answer({ describe: (table) => described(table === 'usage' ? ALL_COLUMNS.filter((name) => name !== 'metric') : ALL_COLUMNS), lines: [], sessions: [], activity: [] });
    await source({ usage: 'usage', activity: 'activity', request: 'request' }).readDay('2026-11-22');
    const texts = queries().map((query) => query.QueryString ?? '');
    expect(texts.filter((text) => text.startsWith('DESCRIBE')).sort()).toEqual(['DESCRIBE "seatmeter"."activity"', 'DESCRIBE "seatmeter"."request"', 'DESCRIBE "seatmeter"."usage"']);
    expect(texts.find((text) => text.includes('AS metric'))).toContain('FROM "seatmeter"."activity"');
    expect(texts.find((text) => text.includes('tier_band'))).toContain('FROM "seatmeter"."usage"');
  });

  it('fails the day when a query fails, and when an answer cannot be from the query', async () => {
    timestreamQuery.on(QueryCommand).rejects(new ValidationException({ message: 'line 1:8: Column "x" does not exist', $metadata: {} }));
    await expect(source().readDay('2026-11-22')).rejects.toThrow('Column "x" does not exist');
    timestreamQuery.reset();
    answer({ describe: () => described(ALL_COLUMNS), lines: [{ QueryId: 'q-1', ColumnInfo: [{ Name: 'tool', Type: { ScalarType: 'VARCHAR' } }], Rows: [{ Data: [] }] }], sessions: [], activity: [] });
    await expect(source().readDay('2026-11-22')).rejects.toThrow(new TimestreamAnswerError('a row has 0 values for 1 columns'));
    timestreamQuery.reset();
    answer({ describe: () => described(ALL_COLUMNS), lines: [page(LINE_COLUMNS, [['a@b.c', 'claude_code', 'm', null, null, TEN_AM, 0, -1, 0, 0, 0, 0, null]])], sessions: [], activity: [] });
    await expect(source().readDay('2026-11-22')).rejects.toThrow('column input_tokens should be a count, got -1');
  });
});
