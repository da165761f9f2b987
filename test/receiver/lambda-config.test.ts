import { describe, expect, it } from 'vitest';
import { receiverConfigFrom } from '../../lambdas/receiver/lambda-config.ts';
import { TimestreamTableNameError, timestreamTableNamesFrom } from '../../lambdas/store/timestream/table-names.ts';
import { RECEIVER_ENV } from '../support/receiver-env.ts';

const REQUIRED = RECEIVER_ENV;

describe('receiverConfigFrom', () => {
  it('puts every record kind in the one table `events` unless told otherwise', () => {
    expect(receiverConfigFrom(REQUIRED)).toEqual({
      store: { kind: 'timestream', database: 'seatmeter', tableNames: { usage: 'events', activity: 'events', request: 'events' } },
      stateTable: 'seatmeter-series-state',
      budgetsTable: 'seatmeter-budgets',
      teamMapBucket: 'seatmeter-rollup',
      archiveBucket: 'seatmeter-archive',
      ingestSecretId: 'seatmeter/ingest',
      maxBodyBytes: 4 * 1024 * 1024,
    });
  });

  it('writes to the lake\'s delivery stream and reads through its Athena workgroup with SEATMETER_STORE=lake', () => {
    const { SEATMETER_TIMESTREAM_DATABASE: _, ...rest } = REQUIRED;
    const lake = { ...rest, SEATMETER_STORE: 'lake', SEATMETER_LAKE_STREAM: 'seatmeter-lake', SEATMETER_LAKE_WORKGROUP: 'seatmeter', SEATMETER_LAKE_DATABASE: 'seatmeter_lake' };
    expect(receiverConfigFrom(lake).store).toEqual({ kind: 'lake', streamName: 'seatmeter-lake', workGroup: 'seatmeter', database: 'seatmeter_lake' });
    const { SEATMETER_LAKE_STREAM: __, ...noStream } = lake;
    expect(() => receiverConfigFrom(noStream)).toThrow('environment variable SEATMETER_LAKE_STREAM is required');
    expect(() => receiverConfigFrom({ ...lake, SEATMETER_STORE: 'influx' })).toThrow('SEATMETER_STORE must be timestream or lake, got "influx"');
  });

  it('takes a table per kind, each from its own variable', () => {
    const env = { SEATMETER_TABLE_USAGE: 'usage', SEATMETER_TABLE_ACTIVITY: ' activity ', SEATMETER_TABLE_REQUEST: 'request' };
    expect(timestreamTableNamesFrom(env)).toEqual({ usage: 'usage', activity: 'activity', request: 'request' });
    expect(timestreamTableNamesFrom({ SEATMETER_TABLE_REQUEST: 'requests' })).toEqual({ usage: 'events', activity: 'events', request: 'requests' });
  });

  it('refuses an empty table name, naming the variable', () => {
    expect(() => receiverConfigFrom({ ...REQUIRED, SEATMETER_TABLE_ACTIVITY: ' ' })).toThrow(TimestreamTableNameError);
    expect(() => receiverConfigFrom({ ...REQUIRED, SEATMETER_TABLE_ACTIVITY: ' ' })).toThrow('SEATMETER_TABLE_ACTIVITY is empty');
  });

  it.each(Object.keys(REQUIRED))('fails the cold start when %s is missing', (name) => {
    expect(() => receiverConfigFrom({ ...REQUIRED, [name]: undefined })).toThrow(`environment variable ${name} is required`);
  });

  it.each(['0', '-1', '1.5', 'lots'])('refuses SEATMETER_MAX_BODY_BYTES=%s', (value) => {
    expect(() => receiverConfigFrom({ ...REQUIRED, SEATMETER_MAX_BODY_BYTES: value })).toThrow(`SEATMETER_MAX_BODY_BYTES must be a positive integer, got "${value}"`);
  });
});
