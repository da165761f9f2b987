import { WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_KINDS } from '../../../lambdas/records/schema.ts';
import { MAX_DIMENSION_NAME_BYTES, MAX_MEASURE_NAME_BYTES } from '../../../lambdas/store/timestream/limits.ts';
import { RECORD_ID_DIMENSION, columnNameProblem, layoutOf } from '../../../lambdas/store/timestream/layout.ts';
import { harness, sentRequests, timestream } from './harness.ts';
import { RECORD_TIME, activity, request, usage } from '../../support/records.ts';

const TIME = String(RECORD_TIME);

afterEach(() => {
  timestream.reset();
});

describe('TimestreamRecordStore mapping', () => {
  it('writes each kind as one multi-measure record in its table, leaving null dimensions and measures out', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness({ tableNames: { request: 'requests' } });

    const outcome = await store.write([usage(), activity(), request({ status_code: 200 })]);

    expect(outcome).toEqual({ written: 3, duplicates: 0, rejected: new Map(), rejectedIds: new Set() });
    expect(sentRequests()).toEqual([
      {
        DatabaseName: 'seatmeter',
        TableName: 'usage',
        Records: [
          {
            Dimensions: [
              { Name: 'record_id', Value: 'usage-1' },
              { Name: 'model', Value: 'claude-opus-4-8' },
              { Name: 'tool', Value: 'claude_code' },
              { Name: 'user_email', Value: 'dev@example.com' },
              { Name: 'organization_id', Value: 'org-1' },
              { Name: 'repo', Value: 'acme/app' },
              { Name: 'session_id', Value: 'session-1' },
              { Name: 'client_version', Value: '2.1.0' },
            ],
            MeasureName: 'usage',
            MeasureValueType: 'MULTI',
            MeasureValues: [
              { Name: 'input_tokens', Value: '10', Type: 'BIGINT' },
              { Name: 'cache_read_tokens', Value: '2000', Type: 'BIGINT' },
              { Name: 'cache_write_tokens', Value: '0', Type: 'BIGINT' },
              { Name: 'output_tokens', Value: '300', Type: 'BIGINT' },
              { Name: 'reasoning_tokens', Value: '0', Type: 'BIGINT' },
              { Name: 'estimated_cost_usd', Value: '0.0125', Type: 'DOUBLE' },
              { Name: 'price_version', Value: 'genai-prices 0.1.8', Type: 'VARCHAR' },
            ],
            Time: TIME,
            TimeUnit: 'MILLISECONDS',
          },
        ],
      },
      {
        DatabaseName: 'seatmeter',
        TableName: 'activity',
        Records: [
          {
            Dimensions: [
              { Name: 'record_id', Value: 'activity-1' },
              { Name: 'metric', Value: 'lines_added' },
              { Name: 'model', Value: 'claude-opus-4-8' },
              { Name: 'tool', Value: 'claude_code' },
              { Name: 'user_email', Value: 'dev@example.com' },
              { Name: 'organization_id', Value: 'org-1' },
              { Name: 'repo', Value: 'acme/app' },
              { Name: 'session_id', Value: 'session-1' },
              { Name: 'client_version', Value: '2.1.0' },
            ],
            MeasureName: 'activity',
            MeasureValueType: 'MULTI',
            MeasureValues: [{ Name: 'value', Value: '42', Type: 'DOUBLE' }],
            Time: TIME,
            TimeUnit: 'MILLISECONDS',
          },
        ],
      },
      {
        DatabaseName: 'seatmeter',
        TableName: 'requests',
        Records: [
          {
            Dimensions: [
              { Name: 'record_id', Value: 'request-1' },
              { Name: 'event', Value: 'api_request' },
              { Name: 'model', Value: 'claude-opus-4-8' },
              { Name: 'tool', Value: 'claude_code' },
              { Name: 'user_email', Value: 'dev@example.com' },
              { Name: 'organization_id', Value: 'org-1' },
              { Name: 'repo', Value: 'acme/app' },
              { Name: 'session_id', Value: 'session-1' },
              { Name: 'client_version', Value: '2.1.0' },
            ],
            MeasureName: 'request',
            MeasureValueType: 'MULTI',
            MeasureValues: [
              { Name: 'request_id', Value: 'req_01', Type: 'VARCHAR' },
              { Name: 'duration_ms', Value: '1234.5', Type: 'DOUBLE' },
              { Name: 'status_code', Value: '200', Type: 'BIGINT' },
              { Name: 'input_tokens', Value: '10', Type: 'BIGINT' },
              { Name: 'cache_read_tokens', Value: '2000', Type: 'BIGINT' },
              { Name: 'cache_write_tokens', Value: '0', Type: 'BIGINT' },
              { Name: 'output_tokens', Value: '300', Type: 'BIGINT' },
              { Name: 'reasoning_tokens', Value: '0', Type: 'BIGINT' },
              { Name: 'estimated_cost_usd', Value: '0.0125', Type: 'DOUBLE' },
              { Name: 'reported_cost_usd', Value: '0.0125', Type: 'DOUBLE' },
              { Name: 'price_version', Value: 'genai-prices 0.1.8', Type: 'VARCHAR' },
            ],
            Time: TIME,
            TimeUnit: 'MILLISECONDS',
          },
        ],
      },
    ]);
  });

  it('leaves empty strings out like nulls, since Timestream stores no empty value, and rounds a fractional count', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    await store.write([request({ terminal: '', error: '', request_id: null, duration_ms: null, input_tokens: 10.6 })]);

    const [record] = sentRequests()[0]?.Records ?? [];
    expect(record?.Dimensions?.map((dimension) => dimension.Name)).toEqual(['record_id', 'event', 'model', 'tool', 'user_email', 'organization_id', 'repo', 'session_id', 'client_version']);
    expect(record?.MeasureValues?.slice(0, 2)).toEqual([
      { Name: 'input_tokens', Value: '11', Type: 'BIGINT' },
      { Name: 'cache_read_tokens', Value: '2000', Type: 'BIGINT' },
    ]);
    expect(record?.MeasureValues?.map((measure) => measure.Name)).not.toContain('error');
  });

  it('sets no Version, so that a rewrite of a record is identical and Timestream ignores it', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    await store.write([usage(), usage({ id: 'usage-2' })]);

    const [input] = sentRequests();
    expect(input?.CommonAttributes).not.toHaveProperty('Version');
    expect(input?.Records?.map((record) => 'Version' in record)).toEqual([false, false]);
  });

  it('uses only column names Timestream accepts: none reserved, none shared by a dimension and a measure', () => {
    const problems = RECORD_KINDS.flatMap((kind) => {
      const { dimensions, measures } = layoutOf(kind);
      const dimensionNames = [RECORD_ID_DIMENSION, ...dimensions.map((column) => column.name)];
      const measureNames = measures.map((column) => column.name);
      const shared = dimensionNames.filter((name) => measureNames.includes(name)).map((name) => `${kind}: ${name} is a dimension and a measure`);
      return [...dimensionNames.map((name) => columnNameProblem(name, MAX_DIMENSION_NAME_BYTES)), ...measureNames.map((name) => columnNameProblem(name, MAX_MEASURE_NAME_BYTES)), ...shared];
    });
    expect(problems.filter((problem) => problem !== null)).toEqual([]);
  });

  it('recognises the names Timestream reserves', () => {
    const refused = ['time', 'measure_name', 'measure_value', 'measure_value::double', 'ts_start', 'a:b', '', 'x'.repeat(61)];
    expect(refused.filter((name) => columnNameProblem(name, MAX_DIMENSION_NAME_BYTES) === null)).toEqual([]);
    expect(['time_ms', 'record_id', 'x'.repeat(60)].map((name) => columnNameProblem(name, MAX_DIMENSION_NAME_BYTES))).toEqual([null, null, null]);
  });
});
