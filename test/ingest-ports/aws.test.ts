import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { IngestSettingsError, awsIngestPorts, awsIngestSettingsFrom } from '../../lambdas/ingest-ports/aws.ts';
import { leaseKey } from '../../lambdas/store/dynamodb/series-lock.ts';
import { cumulativeSeries } from '../../lambdas/temporality/cumulative-series.ts';
import { decodeOtlpRequest } from '../../lambdas/otlp/decode.ts';
import { loadCapture } from '../support/captures.ts';

const timestream = mockClient(TimestreamWriteClient);
const dynamodb = mockClient(DynamoDBClient);
const ENV = { SEATMETER_TIMESTREAM_DATABASE: 'seatmeter', SEATMETER_STATE_TABLE: 'seatmeter-state', SEATMETER_BUDGETS_TABLE: 'seatmeter-budgets', SEATMETER_TEAM_MAP_BUCKET: 'seatmeter-rollup' };
const s3 = mockClient(S3Client);

beforeEach(() => {
  timestream.reset();
  dynamodb.reset();
  timestream.on(WriteRecordsCommand).resolves({ RecordsIngested: { Total: 1 } });
  dynamodb.resolves({});
  s3.reset();
  s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
});

describe('awsIngestSettingsFrom', () => {
  it.each([
    [{ SEATMETER_STATE_TABLE: 'state' }, 'SEATMETER_TIMESTREAM_DATABASE'],
    [{ SEATMETER_TIMESTREAM_DATABASE: 'db', SEATMETER_STATE_TABLE: '  ' }, 'SEATMETER_STATE_TABLE'],
    [{ SEATMETER_TIMESTREAM_DATABASE: 'db', SEATMETER_STATE_TABLE: 'state' }, 'SEATMETER_BUDGETS_TABLE'],
    [{ SEATMETER_TIMESTREAM_DATABASE: 'db', SEATMETER_STATE_TABLE: 'state', SEATMETER_BUDGETS_TABLE: 'budgets' }, 'SEATMETER_TEAM_MAP_BUCKET'],
  ])('names the missing setting in %j', (env, name) => {
    expect(() => awsIngestSettingsFrom(env)).toThrow(new IngestSettingsError(`environment variable ${name} is required`));
  });
});

describe('awsIngestPorts', () => {
  it('holds the cumulative scope lease while it derives and stores, for every writer that builds them', async () => {
    const capture = loadCapture('claude/claude-protobuf-cumulative/002-v1_metrics');
    const ports = awsIngestPorts(awsIngestSettingsFrom(ENV), { leaseUntil: () => Date.now() + 60_000 });
    const report = await ingestOtlp(capture, ports);
    expect(report.written).toBe(3);
    const [scope] = cumulativeSeries(decodeOtlpRequest(capture).request).scopes;
    const leases = dynamodb
      .commandCalls(PutItemCommand)
      .map((call) => call.args[0].input as PutItemCommandInput)
      .filter((input) => input.Item?.series_key?.S === leaseKey(scope as string));
    expect(leases).toHaveLength(1);
    expect(dynamodb.commandCalls(DeleteItemCommand).map((call) => call.args[0].input.Key?.series_key?.S)).toEqual([leaseKey(scope as string)]);
  });

  it('touches only the budgets table, for its ledger, with an export of deltas only', async () => {
    const ports = awsIngestPorts(awsIngestSettingsFrom(ENV), { leaseUntil: () => Date.now() + 60_000 });
    expect((await ingestOtlp(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), ports)).written).toBe(3);
    expect(new Set(dynamodb.calls().map((call) => (call.args[0].input as { TableName?: string }).TableName))).toEqual(new Set(['seatmeter-budgets']));
  });
});
