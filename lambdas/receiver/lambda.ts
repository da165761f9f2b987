/**
 * The receiver Lambda's entry point. Clients are created once per container, at module scope or on first use:
 * Timestream's discovered endpoint and the cached credentials then serve every warm invocation.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { S3RawArchive } from '../archive/s3-archive.ts';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import { DynamoDbSeriesLock } from '../store/dynamodb/series-lock.ts';
import { DynamoDbSeriesStateStore } from '../store/dynamodb/series-state-store.ts';
import { metricsNamespaceFrom } from '../metrics/namespace.ts';
import { TimestreamProbeReader } from '../store/timestream/probe-reader.ts';
import { TimestreamRecordStore } from '../store/timestream/record-store.ts';
import { receiverConfigFrom } from './lambda-config.ts';
import { createReceiverHandler } from './lambda-handler.ts';
import { requestMetricsDocument } from './request-metrics.ts';
import type { RequestCounters, RequestFacts } from './request-metrics.ts';
import { SecretsManagerCredentialSource } from './secrets-manager-credentials.ts';

/** Time kept back from the invocation's budget to answer 503 before Lambda cuts the request off. */
const ANSWER_MARGIN_MS = 1_500;

const config = receiverConfigFrom(process.env);
const metricsNamespace = metricsNamespaceFrom(process.env);
let deadlineMs = 0;
const noCounts = (): RequestCounters => ({ storageRetries: 0, seriesStateConflicts: 0 });
/** The current invocation's: an execution environment runs one invocation at a time, so a reset per invocation is enough. */
let counters = noCounts();

/**
 * One EMF line per request. Straight to stdout rather than console.log: under Lambda's JSON log format,
 * console.log wraps the line in an envelope of its own and CloudWatch would extract no metric from it.
 */
const log = (facts: Readonly<RequestFacts>): void => {
  process.stdout.write(`${JSON.stringify(requestMetricsDocument(facts, counters, Date.now(), metricsNamespace))}\n`);
};

/*
 * Built on first use, since most containers never need them: the series state and its lease serve only exports
 * carrying cumulative points (Claude Code sends deltas by default), the query client only doctor's read-back.
 * Their modules stay static imports: an import() in this one-file bundle would have esbuild wrap the clients and
 * everything they import in lazy initialisers it cannot tree-shake, a bigger bundle costing as much to load.
 */
interface CumulativeState {
  readonly store: DynamoDbSeriesStateStore;
  readonly lock: DynamoDbSeriesLock;
}

let cumulative: CumulativeState | undefined;
function cumulativeState(): CumulativeState {
  if (cumulative === undefined) {
    const client = new DynamoDBClient({});
    cumulative = {
      store: new DynamoDbSeriesStateStore({
        client,
        tableName: config.stateTable,
        onConflicts: (keys) => {
          counters.seriesStateConflicts += keys.length;
        },
      }),
      lock: new DynamoDbSeriesLock({
        client,
        tableName: config.stateTable,
        leaseUntil: () => deadlineMs + ANSWER_MARGIN_MS,
        onReleaseFailure: (error) => {
          process.stdout.write(`${JSON.stringify({ level: 'warn', message: 'series lease not released; it expires with the invocation', error: String(error) })}\n`);
        },
      }),
    };
  }
  return cumulative;
}

let probes: TimestreamProbeReader | undefined;
function probeReader(): TimestreamProbeReader {
  probes ??= new TimestreamProbeReader({
    client: new TimestreamQueryClient({}),
    databaseName: config.timestreamDatabase,
    tableNames: config.tableNames,
    deadline: () => deadlineMs,
  });
  return probes;
}

const receive = createReceiverHandler({
  credentials: new SecretsManagerCredentialSource({ client: new SecretsManagerClient({}), secretId: config.ingestSecretId }),
  ports: {
    store: new TimestreamRecordStore({
      client: new TimestreamWriteClient({}),
      databaseName: config.timestreamDatabase,
      tableNames: config.tableNames,
      deadline: () => deadlineMs,
      onRetry: () => {
        counters.storageRetries += 1;
      },
    }),
    state: {
      load: (keys) => cumulativeState().store.load(keys),
      save: (updates) => cumulativeState().store.save(updates),
    },
    pricer: defaultPriceBook(),
    cumulativeLock: (scopes, work) => cumulativeState().lock.run(scopes, work),
  },
  archive: new S3RawArchive({ client: new S3Client({}), bucket: config.archiveBucket }),
  probes: { probeRecords: (sessionId) => probeReader().probeRecords(sessionId) },
  maxBodyBytes: config.maxBodyBytes,
  log,
});

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  deadlineMs = Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  counters = noCounts();
  return receive(event, context);
}
