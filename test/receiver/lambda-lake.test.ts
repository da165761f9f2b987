import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { loadCapture } from '../support/captures.ts';
import { RECEIVER_ENV } from '../support/receiver-env.ts';

const firehose = mockClient(FirehoseClient);
const timestream = mockClient(TimestreamWriteClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const TOKEN = 'team-token-0123456789';
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 3_000 } as unknown as Context;
const LAKE_ENV = { SEATMETER_STORE: 'lake', SEATMETER_LAKE_STREAM: 'seatmeter-lake', SEATMETER_LAKE_WORKGROUP: 'seatmeter', SEATMETER_LAKE_DATABASE: 'seatmeter_lake' };

beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const { SEATMETER_TIMESTREAM_DATABASE: _, ...rest } = RECEIVER_ENV;
  delete process.env.SEATMETER_TIMESTREAM_DATABASE;
  Object.assign(process.env, rest, LAKE_ENV);
  vi.resetModules();
});
afterAll(() => {
  for (const key of Object.keys(LAKE_ENV)) delete process.env[key];
  for (const mock of [firehose, timestream, dynamodb, s3, secrets]) mock.restore();
});
beforeEach(() => {
  for (const mock of [firehose, timestream, dynamodb, s3, secrets]) mock.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ credentials: [{ id: 'team', token: TOKEN }] }) });
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
  dynamodb.resolves({});
});

const ids = () =>
  firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((call) => (call.args[0].input as PutRecordBatchCommandInput).Records ?? [])
    .flatMap((record) => new TextDecoder().decode(record.Data).split('\n').filter((line) => line !== ''))
    .map((line) => String((JSON.parse(line) as { record_id: string }).record_id));
const accepted = (input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'r' })) });

describe('the receiver Lambda on the lake store', () => {
  it('writes to its Firehose stream and never to Timestream; the same export twice sends the same record ids', async () => {
    firehose.on(PutRecordBatchCommand).callsFake(accepted);
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const event = apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), { authorization: `Bearer ${TOKEN}` });
    expect((await handler(event, context)).statusCode).toBe(200);
    const first = ids();
    expect((await handler(event, context)).statusCode).toBe(200);
    expect(ids()).toEqual([...first, ...first]);
    expect(firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input.DeliveryStreamName).toBe('seatmeter-lake');
    expect(timestream.calls()).toHaveLength(0);
  });

  it('sends again the records Firehose refused, and answers 503 with Retry-After when it keeps refusing them', async () => {
    let calls = 0;
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      calls += 1;
      return calls === 1 ? { FailedPutCount: 1, RequestResponses: (input.Records ?? []).map(() => ({ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' })) } : accepted(input);
    });
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const event = apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), { authorization: `Bearer ${TOKEN}` });
    expect((await handler(event, context)).statusCode).toBe(200);
    expect(calls).toBe(2);

    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }] });
    const refused = await handler(event, context);
    expect([refused.statusCode, refused.headers?.['retry-after']]).toEqual([503, '5']);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });
});
