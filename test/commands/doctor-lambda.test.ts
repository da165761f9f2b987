import { BatchGetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { QueryCommand, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import type { QueryRequest } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { WriteRecordsRequest } from '@aws-sdk/client-timestream-write';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLambdaHttpAdapter } from '../support/lambda-http-adapter.ts';
import type { LambdaHttpAdapter } from '../support/lambda-http-adapter.ts';
import { RECEIVER_ENV } from '../support/receiver-env.ts';
import { runCli } from '../support/run-cli.ts';
import { answerProbeQuery, storedRows } from '../support/timestream-tables.ts';

/**
 * doctor against the receiver Lambda itself (lambdas/receiver/lambda.ts, as deployed) behind the API Gateway
 * stand-in, its AWS clients mocked: the probe is found only if the export really reached WriteRecords, since
 * the mocked Query answers from what WriteRecords received.
 */
const write = mockClient(TimestreamWriteClient);
const query = mockClient(TimestreamQueryClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const TOKEN = 'doctor-token-0123456789';
const context = { awsRequestId: 'req-doctor', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const THROTTLED = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

/** What reached Timestream: the table rows the mocked Query reads. */
let written: WriteRecordsRequest[] = [];
let adapter: LambdaHttpAdapter;

const answerFromWrites = (input: QueryRequest) => answerProbeQuery(input.QueryString ?? '', 'seatmeter', storedRows(written), Date.now());

beforeAll(() => {
  // The Lambda writes one EMF line per request to stdout; the assertions here are on doctor's output.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  Object.assign(process.env, RECEIVER_ENV);
});

afterAll(() => {
  for (const client of [write, query, dynamodb, s3, secrets]) client.restore();
  vi.restoreAllMocks();
});

beforeEach(async () => {
  for (const client of [write, query, dynamodb, s3, secrets]) client.reset();
  written = [];
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ credentials: [{ id: 'team', token: TOKEN }] }) });
  write.on(WriteRecordsCommand).callsFake((input: WriteRecordsRequest) => {
    written.push(input);
    return { RecordsIngested: { Total: input.Records?.length ?? 0 } };
  });
  query.on(QueryCommand).callsFake(answerFromWrites);
  s3.on(PutObjectCommand).resolves({});
  // The rollup has not published a team map yet.
  s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} });
  dynamodb.on(PutItemCommand).resolves({});
  const { handler } = await import('../../lambdas/receiver/lambda.ts');
  adapter = await startLambdaHttpAdapter((event) => handler(event, context));
});
afterEach(async () => adapter.close());

const doctor = (...extra: string[]) => runCli(['doctor', '--endpoint', `${adapter.url}/otlp`, '--token', TOKEN, ...extra]);
const SENT = [expect.stringMatching(/^ok {4}reach the receiver: 200 in \d+ ms$/), 'ok    probe accepted: no point rejected'];

describe('seatmeter doctor against the receiver Lambda', () => {
  it('reads the probe back from Timestream through the receiver, one query on the one table', async () => {
    const result = await doctor();
    expect([result.code, result.stdout.split('\n')]).toEqual([
      0,
      [...SENT, expect.stringMatching(/^ok {4}probe stored at the far edge: read back from the store: 1 usage record \(session doctor-[0-9a-f-]{36}\)$/), ''],
    ]);
    expect(written.map((request) => request.TableName)).toEqual(['events']);
    expect(query.commandCalls(QueryCommand).map((call) => call.args[0].input.QueryString)).toEqual([expect.stringContaining('FROM "seatmeter"."events"')]);
    expect(adapter.exchanges.map(({ event, result }) => `${event.requestContext.http.method} ${event.rawPath} ${result?.statusCode}`)).toEqual([
      'POST /otlp/v1/metrics 200',
      expect.stringMatching(/^GET \/otlp\/seatmeter\/probe\/doctor-[0-9a-f-]{36} 200$/),
    ]);
  }, 60_000);

  it('fails the last hop when the export was acknowledged but never reached the table', async () => {
    write.on(WriteRecordsCommand).resolves({});
    const result = await doctor('--wait', '0');
    expect([result.code, result.stdout.split('\n')]).toEqual([
      1,
      [...SENT, expect.stringMatching(/^FAIL {2}probe stored at the far edge: not in the store \(session doctor-[0-9a-f-]{36}\): acknowledged but not stored; 1 read over 0\.0 s$/), ''],
    ]);
  }, 60_000);

  it('fails the last hop when the one probe point was stored twice', async () => {
    write.on(WriteRecordsCommand).callsFake((input: WriteRecordsRequest) => {
      const again = (input.Records ?? []).map((record) => ({
        ...record,
        Dimensions: (record.Dimensions ?? []).map((d) => (d.Name === 'record_id' ? { ...d, Value: `${d.Value ?? ''}-again` } : d)),
      }));
      written.push(input, { ...input, Records: again });
      return {};
    });
    const result = await doctor('--wait', '0');
    expect([result.code, result.stdout.split('\n')[2]]).toEqual([
      1,
      expect.stringMatching(/^FAIL {2}probe stored at the far edge: the store holds 2 usage records for one probe point \(session doctor-[0-9a-f-]{36}\)$/),
    ]);
  }, 60_000);

  it('reads again after a 503 while Timestream is throttled, and then finds the probe', async () => {
    query.on(QueryCommand).rejectsOnce(THROTTLED).callsFake(answerFromWrites);
    const result = await doctor();
    expect([result.code, result.stdout.split('\n')[2]]).toEqual([0, expect.stringMatching(/^ok {4}probe stored at the far edge: read back from the store: 1 usage record/)]);
    expect(adapter.exchanges.map(({ result: answer }) => answer?.statusCode)).toEqual([200, 503, 200]);
    // The query client is built on the first read-back, then kept for the container.
    expect(new Set(query.calls().map((call) => call.thisValue)).size).toBe(1);
  }, 60_000);

  it('gives up with the reason when Timestream stays throttled past --wait', async () => {
    query.on(QueryCommand).rejects(THROTTLED);
    const result = await doctor('--wait', '0');
    expect([result.code, result.stdout.split('\n')[2]]).toEqual([
      1,
      'FAIL  probe stored at the far edge: answered 503: store unavailable; retry later (Timestream could not answer the probe query on seatmeter.events (ThrottlingException)); 1 read over 0.0 s',
    ]);
  }, 60_000);

  it('stops at once with the cause when the receiver may not query Timestream', async () => {
    query.on(QueryCommand).rejects(Object.assign(new Error('not authorized to perform timestream:Select'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    const result = await doctor();
    expect([result.code, result.stdout.split('\n')[2]]).toEqual([
      1,
      'FAIL  probe stored at the far edge: answered 500: Timestream refused the probe query on seatmeter.events (AccessDeniedException)',
    ]);
    expect(query.commandCalls(QueryCommand)).toHaveLength(1);
  }, 60_000);
});
