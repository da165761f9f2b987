/**
 * The receiver Lambda's entry point. Clients are created once per container, at module scope or on first use:
 * Timestream's discovered endpoint and the cached credentials then serve every warm invocation.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { S3RawArchive } from '../archive/s3-archive.ts';
import { awsBudgetServices, awsIngestPorts } from '../ingest-ports/aws.ts';
import { metricsNamespaceFrom } from '../metrics/namespace.ts';
import type { TelemetryCoverage } from '../import/coverage.ts';
import type { ProbeReader } from '../probe/types.ts';
import { probeReaderFor, telemetryCoverageFor } from '../ingest-ports/store-settings.ts';
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

let probes: ProbeReader | undefined;
function probeReader(): ProbeReader {
  probes ??= probeReaderFor(config.store, () => deadlineMs);
  return probes;
}

// Built on the first import, as the probe reader is: most invocations are exports and need neither.
let coverage: TelemetryCoverage | undefined;
function coverageReader(): TelemetryCoverage {
  coverage ??= telemetryCoverageFor(config.store, () => deadlineMs);
  return coverage;
}

/** A warning line in the function's log, beside the EMF lines. */
const warn = (message: string, error: unknown): void => {
  process.stdout.write(`${JSON.stringify({ level: 'warn', message, error: String(error) })}\n`);
};

const ports = awsIngestPorts(config, {
  deadline: () => deadlineMs,
  leaseUntil: () => deadlineMs + ANSWER_MARGIN_MS,
  onStorageRetry: () => {
    counters.storageRetries += 1;
  },
  onStateConflicts: (keys) => {
    counters.seriesStateConflicts += keys.length;
  },
  onLeaseReleaseFailure: (error) => warn('series lease not released; it expires with the invocation', error),
  onStaleTeamMap: (error) => warn('team map not refreshed; the one read before stays in use', error),
});

const receive = createReceiverHandler({
  credentials: new SecretsManagerCredentialSource({ client: new SecretsManagerClient({}), secretId: config.ingestSecretId }),
  ports,
  budgets: awsBudgetServices(config, ports.teams, ports.dynamodb),
  archive: new S3RawArchive({ client: new S3Client({}), bucket: config.archiveBucket }),
  probes: { probeRecords: (sessionId) => probeReader().probeRecords(sessionId) },
  coverage: { seen: (query) => coverageReader().seen(query) },
  maxBodyBytes: config.maxBodyBytes,
  log,
});

export async function handler(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  deadlineMs = Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  counters = noCounts();
  return receive(event, context);
}
