import { BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ThrottlingException, TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { directives, metricValues } from '../support/emf-reading.ts';
import { RECEIVER_ENV } from '../support/receiver-env.ts';

const timestream = mockClient(TimestreamWriteClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const TOKEN = 'team-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
const throttled = () => new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

/** What the Lambda wrote to stdout since the last reset, one parsed document per line. */
function documents(): Record<string, unknown>[] {
  const text = stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
  return text.split('\n').slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => {
  Object.assign(process.env, RECEIVER_ENV, { SEATMETER_METRICS_NAMESPACE: 'Seatmeter/test' });
});

afterAll(() => {
  for (const client of [timestream, dynamodb, s3, secrets]) client.restore();
  stdout.mockRestore();
  delete process.env.SEATMETER_METRICS_NAMESPACE;
});

beforeEach(() => {
  for (const client of [timestream, dynamodb, s3, secrets]) client.reset();
  stdout.mockClear();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ credentials: [{ id: 'team', token: TOKEN }] }) });
  timestream.on(WriteRecordsCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  // The rollup has not published a team map yet.
  s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
  // No baseline is stored yet: every cumulative point is new.
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} });
  dynamodb.on(PutItemCommand).resolves({});
});

describe('the receiver Lambda\'s metrics', () => {
  it('writes one EMF line per request to stdout, in the namespace SEATMETER_METRICS_NAMESPACE names', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    expect((await handler(apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), BEARER), context)).statusCode).toBe(200);
    expect(documents()).toHaveLength(1);
    const document = documents()[0] ?? expect.unreachable('no line on stdout');
    expect(directives(document).map((directive) => directive.Namespace)).toEqual(['Seatmeter/test']);
    expect(document).toMatchObject({ requestId: 'req-1', status: 200, credentialId: 'team', Service: 'receiver' });
    expect(metricValues(document)).toMatchObject({ Requests: 1, Status2xx: 1, RecordsStored: 3, StorageRetries: 0, SeriesStateConflicts: 0 });
  });

  it('counts a Timestream write throttled once and then accepted as one storage retry, in that request only', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    timestream.on(WriteRecordsCommand).rejectsOnce(throttled()).resolves({});
    const event = apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), BEARER);
    const statuses = [(await handler(event, context)).statusCode, (await handler(event, context)).statusCode];
    expect(statuses).toEqual([200, 200]);
    expect(documents().map((document) => metricValues(document).StorageRetries)).toEqual([1, 0]);
  });

  it('answers 503 when Timestream stays throttled, with every retry made before giving up counted', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    timestream.on(WriteRecordsCommand).rejects(throttled());
    // 400 ms left before the answer margin: room for a retry or two of the first batch, then it gives up.
    const shortBudget = { ...context, getRemainingTimeInMillis: () => 1_900 } as Context;
    const result = await handler(apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), BEARER), shortBudget);
    const retries = timestream.commandCalls(WriteRecordsCommand).length - 1;
    expect([result.statusCode, retries > 0]).toEqual([503, true]);
    expect(documents().map(metricValues)).toMatchObject([{ Status5xx: 1, StorageRetries: retries, RecordsStored: 0, ArchiveFailures: 0 }]);
  });

  it('counts the series whose baseline another invocation had already advanced', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    // Leases are free; every baseline put finds a later one already there.
    const isLease = (input: { Item?: Record<string, { S?: string }> }) => input.Item?.series_key?.S?.startsWith('lock#') === true;
    dynamodb.on(PutItemCommand, { TableName: RECEIVER_ENV.SEATMETER_STATE_TABLE }).callsFake((input) => {
      if (isLease(input)) return {};
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    });
    const result = await handler(apiGatewayEvent(loadCapture('gemini/gemini-http-json/003-v1_metrics'), BEARER), context);
    const conflicts = dynamodb.commandCalls(PutItemCommand, { TableName: RECEIVER_ENV.SEATMETER_STATE_TABLE }).filter((call) => !isLease(call.args[0].input)).length;
    expect([result.statusCode, conflicts > 0]).toEqual([200, true]);
    expect(documents().map(metricValues)).toMatchObject([{ Status2xx: 1, SeriesStateConflicts: conflicts }]);
  });

  it('logs no token, no prompt text and no user email from any capture, and counts a wrong token as an auth failure', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    for (const [id] of CAPTURES) await handler(apiGatewayEvent(loadCapture(id), BEARER), context);
    await handler(apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/001-v1_logs'), { authorization: 'Bearer nope-nope-nope-nope' }), context);
    const raw = CAPTURES.map(([id]) => Buffer.from(loadCapture(id).body).toString('latin1')).join('');
    const logged = JSON.stringify(documents());
    const needles = ['say hi', 'process.command_args', 'dev@example.com'];
    expect(needles.filter((needle) => raw.includes(needle))).toEqual(needles);
    expect([...needles, TOKEN, 'nope-nope'].filter((needle) => logged.includes(needle))).toEqual([]);
    const values = documents().map(metricValues);
    const total = (name: string) => values.reduce((sum, metrics) => sum + Number(metrics[name]), 0);
    expect([total('Requests'), total('AuthFailures'), total('Status2xx')]).toEqual([CAPTURES.length + 1, 1, CAPTURES.length]);
  });
});
