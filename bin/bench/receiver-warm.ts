/**
 * The receiver Lambda in this process, as `lambdas/receiver/lambda.ts` wires it, with its four AWS clients
 * mocked by aws-sdk-client-mock: every call resolves at once, so what is timed is the receiver's own work
 * (base64 and gzip, decode, normalize, price, build the WriteRecords, the state and archive calls, the EMF log line).
 */
import { BatchGetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { WriteRecordsCommandInput } from '@aws-sdk/client-timestream-write';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import type { TimestreamTableNames } from '../../lambdas/store/timestream/table-names.ts';
import { TimestreamRecordStore } from '../../lambdas/store/timestream/record-store.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { loadCapture } from '../../test/support/captures.ts';
import { lambdaEnvironment } from './receiver-cold-start.ts';
import { exportEvent, SECRET } from './receiver-events.ts';
import { percentile } from './receiver-report.ts';

/** A generous budget: the store's write deadline is the remaining time less a margin, never reached here. */
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as Context;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface MockedReceiver {
  readonly handler: Handler;
  /** The WriteRecords inputs Timestream received since the last call (which forgets them). */
  readonly takeWrites: () => WriteRecordsCommandInput[];
  /** Forgets every recorded call: the mocks' call logs would otherwise grow for the whole run. */
  readonly forgetCalls: () => void;
}

/**
 * Mocks the clients' classes before lambda.ts runs its module scope (the env it reads is set first, too), so
 * the clients it creates there are mocked. No series state is found, so a cumulative export is first-seen.
 */
export async function mockedReceiver(): Promise<MockedReceiver> {
  Object.assign(process.env, lambdaEnvironment());
  const timestream = mockClient(TimestreamWriteClient);
  const dynamodb = mockClient(DynamoDBClient);
  const s3 = mockClient(S3Client);
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
  timestream.on(WriteRecordsCommand).callsFake((input: WriteRecordsCommandInput) => ({ RecordsIngested: { Total: input.Records?.length ?? 0 } }));
  dynamodb.on(BatchGetItemCommand).resolves({});
  dynamodb.on(PutItemCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  const { handler } = await import('../../lambdas/receiver/lambda.ts');
  return {
    handler,
    takeWrites: () => {
      const inputs = timestream.commandCalls(WriteRecordsCommand).map((call) => call.args[0].input);
      timestream.resetHistory();
      return inputs;
    },
    forgetCalls: () => {
      for (const mock of [timestream, dynamodb, s3, secrets]) mock.resetHistory();
    },
  };
}

/**
 * Runs `work` with the Lambda's per-request log line (an EMF document written to stdout) built but not printed:
 * building it (JSON.stringify) is part of the cost, thousands of lines on the terminal are not, and they would
 * bury the table. console.log is muted too, in case a log moves there.
 */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const print = console.log;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  console.log = () => undefined;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
    console.log = print;
  }
}

async function invokeOk(receiver: MockedReceiver, event: APIGatewayProxyEventV2, label: string): Promise<void> {
  const result = await quietly(() => receiver.handler(event, context));
  if (result.statusCode !== 200) throw new Error(`${label} answered ${String(result.statusCode)}, not 200: the numbers would time an error path`);
}

export interface Latency {
  readonly iterations: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Warm latency of one export: `warmUp` untimed calls (JIT, the secret's cache, lazily built SDK middleware),
 * then `iterations` calls each timed alone. The same event every time is what a retry looks like: records
 * keep their ids and Timestream would ignore them, but the receiver does all of its work regardless.
 */
export async function warmLatency(receiver: MockedReceiver, captureId: string, warmUp: number, iterations: number): Promise<Latency> {
  const event = exportEvent(captureId);
  for (let i = 0; i < warmUp; i += 1) await invokeOk(receiver, event, captureId);
  receiver.forgetCalls();
  const samples: number[] = [];
  await quietly(async () => {
    for (let i = 0; i < iterations; i += 1) {
      const started = performance.now();
      const result = await receiver.handler(event, context);
      samples.push(performance.now() - started);
      if (result.statusCode !== 200) throw new Error(`${captureId} answered ${String(result.statusCode)} on timed call ${i}`);
      // Outside the timed span, so the mocks' growing call logs do not weigh on later samples.
      if (i % 100 === 99) receiver.forgetCalls();
    }
  });
  return { iterations, p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
}

/** The WriteRecords requests one export of `captureId` makes. */
export async function writesOf(receiver: MockedReceiver, captureId: string): Promise<WriteRecordsCommandInput[]> {
  receiver.takeWrites();
  await invokeOk(receiver, exportEvent(captureId), captureId);
  return receiver.takeWrites();
}

/**
 * The WriteRecords requests one export of `captureId` makes through the same ingest core and Timestream store
 * with other tables, e.g. a table per kind (the receiver itself reads its tables once, at cold start). Series
 * state starts empty, as it does for the receiver here.
 */
export async function writesWithTables(receiver: MockedReceiver, captureId: string, tableNames: TimestreamTableNames): Promise<WriteRecordsCommandInput[]> {
  receiver.takeWrites();
  const store = new TimestreamRecordStore({ client: new TimestreamWriteClient({ region: 'us-east-1' }), databaseName: 'seatmeter', tableNames });
  await ingestOtlp(loadCapture(captureId), { store, state: new InMemorySeriesStateStore(), pricer: defaultPriceBook() });
  return receiver.takeWrites();
}
