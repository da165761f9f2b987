import { QueryCommand, ThrottlingException, TimestreamQueryClient, ValidationException } from '@aws-sdk/client-timestream-query';
import type { QueryRequest, QueryResponse } from '@aws-sdk/client-timestream-query';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionKey } from '../../../lambdas/import/coverage.ts';
import { columnsOf } from '../../../lambdas/records/schema.ts';
import { StorageRefusedError, StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { timestreamCoverage } from '../../../lambdas/store/timestream/coverage-reader.ts';

const timestream = mockClient(TimestreamQueryClient);
afterEach(() => timestream.reset());

const COLUMNS = ['time', 'measure_name', 'record_id', ...new Set(['usage', 'activity', 'request'].flatMap((kind) => columnsOf(kind as 'usage').map((column) => column.name)))];
const text = (name: string, values: readonly string[]): QueryResponse => ({
  QueryId: 'q',
  ColumnInfo: [{ Name: name, Type: { ScalarType: 'VARCHAR' } }],
  Rows: values.map((value) => ({ Data: [{ ScalarValue: value }] })),
});

const QUERY = {
  sessions: new Map([['claude_code' as const, ["s-1", "it's"]]]),
  requestIds: ['req_1'],
  slices: [],
  fromMs: Date.parse('2026-11-19T00:00:00Z'),
  toMs: Date.parse('2026-11-22T00:00:00Z'),
};
const coverage = () => timestreamCoverage(new TimestreamQueryClient({ region: 'eu-west-1' }), 'seatmeter', { usage: 'events', activity: 'events', request: 'events' });

describe('import coverage from Timestream', () => {
  it('asks the days around the calls for the sessions and request ids telemetry stored, never counting imports', async () => {
    timestream.on(QueryCommand).callsFake((input: QueryRequest) => {
      const sql = input.QueryString ?? '';
      if (sql.startsWith('DESCRIBE')) return text('Column', COLUMNS);
      return sql.includes('AS request_id') ? text('request_id', ['req_1']) : text('session_id', ['s-1']);
    });
    const seen = await coverage().seen(QUERY);
    expect([[...seen.sessions], [...seen.requestIds]]).toEqual([[sessionKey('claude_code', 's-1')], ['req_1']]);
    const [, sessions, requests] = timestream.commandCalls(QueryCommand).map((call) => call.args[0].input.QueryString ?? '');
    expect(sessions).toContain(`FROM "seatmeter"."events" WHERE measure_name = 'usage' AND time >= from_milliseconds(${QUERY.fromMs}) AND time < from_milliseconds(${QUERY.toMs})`);
    expect(sessions).toContain("AND tool = 'claude_code' AND session_id IN ('s-1', 'it''s') AND record_id NOT LIKE 'import-%'");
    expect(sessions?.split(' UNION ')).toHaveLength(3);
    expect(requests).toContain("measure_name = 'request'");
    expect(requests).toContain("request_id IN ('req_1')");
  });

  it('is unavailable while Timestream throttles, and refused when it rejects the query', async () => {
    timestream.on(QueryCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    await expect(coverage().seen(QUERY)).rejects.toThrow(StorageUnavailableError);
    timestream.reset();
    timestream.on(QueryCommand).rejects(new ValidationException({ message: 'no such table', $metadata: {} }));
    await expect(coverage().seen(QUERY)).rejects.toThrow(StorageRefusedError);
  });
});
