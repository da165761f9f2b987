import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ArchiveBucket } from './archive-bucket.ts';
import { RECEIVER_BUNDLE } from './lambda-bundling.ts';
import { logicalIdOf } from './logical-id.ts';
import type { SeriesStateTable } from './series-state-table.ts';
import type { TelemetryStore } from './telemetry-store.ts';

export interface ReceiverFunctionProps {
  readonly store: TelemetryStore;
  readonly state: SeriesStateTable;
  readonly archive: ArchiveBucket;
  readonly ingestSecret: ISecret;
  readonly logRetention: RetentionDays;
  /** CloudWatch namespace of the receiver's EMF metrics. */
  readonly metricsNamespace: string;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * Where the bundle sits inside the deployment package. Until the runtime embeds its data files, it reads
 * `new URL('../../schemas/…', import.meta.url)`: bundled, that URL is the bundle's own, so the bundle sits two
 * directories deep (as its sources do) with `schemas/` copied beside them at the package root.
 */
const BUNDLE_DIR = 'lambdas/receiver';
/** API Gateway gives up on an integration after 30 s; the receiver must answer (503 at worst) before that. */
const TIMEOUT = Duration.seconds(28);
/** Protobuf decoding is CPU-bound and Lambda's CPU share grows with memory. */
const MEMORY_MB = 1024;

/**
 * The plain esbuild settings of lib/lambda-bundling.ts as NodejsFunction bundling options. The type holds them
 * to what this mapping assumes: NodejsFunction always bundles for node, and the layout step moves `index.mjs`,
 * its name for ESM output.
 */
function bundlingOptions(bundle: typeof RECEIVER_BUNDLE & { readonly format: 'esm'; readonly platform: 'node' }): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: bundle.target,
    minify: bundle.minify,
    sourceMap: bundle.sourcemap,
    mainFields: [...bundle.mainFields],
    banner: bundle.banner,
    externalModules: [...bundle.external],
    // The repository's esbuild, never a Docker image: synth works offline and without Docker.
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [
        `mkdir -p "${outputDir}/${BUNDLE_DIR}"`,
        `mv "${outputDir}/index.mjs" "${outputDir}/${BUNDLE_DIR}/index.mjs"`,
        `cp -R "${inputDir}/schemas" "${outputDir}/schemas"`,
      ],
    },
  };
}

/**
 * The receiver Lambda and the one role it runs with: every statement names the single resource (or key prefix)
 * it needs, so the policy reads as the list of what the receiver does.
 */
export class ReceiverFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ReceiverFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: 'seatmeter OTLP receiver' });
    const { store, state, archive, ingestSecret } = props;
    const statements = [
      new PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.logGroupArn}:*`] }),
      new PolicyStatement({ sid: 'WriteAndProbeRecords', actions: ['timestream:WriteRecords', 'timestream:Select'], resources: [store.table.attrArn] }),
      new PolicyStatement({ sid: 'DiscoverTimestreamEndpoints', actions: ['timestream:DescribeEndpoints'], resources: ['*'] }),
      new PolicyStatement({
        sid: 'KeepSeriesState',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        resources: [state.table.tableArn],
      }),
      new PolicyStatement({ sid: 'ArchiveRawExports', actions: ['s3:PutObject'], resources: [archive.bucket.arnForObjects(`${archive.rawPrefix}*`)] }),
      new PolicyStatement({ sid: 'ReadIngestCredentials', actions: ['secretsmanager:GetSecretValue'], resources: [ingestSecret.secretArn] }),
    ];
    for (const statement of statements) role.addToPrincipalPolicy(statement);

    this.function = new NodejsFunction(this, 'Function', {
      description: 'seatmeter OTLP/HTTP receiver: decode, normalize, price, store',
      entry: `${REPO_ROOT}${RECEIVER_BUNDLE.entry}`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      handler: `${BUNDLE_DIR}/index.handler`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: bundlingOptions(RECEIVER_BUNDLE),
      environment: {
        SEATMETER_TIMESTREAM_DATABASE: store.databaseName,
        // One table for all three kinds: each export is then one WriteRecords call (kinds differ by measure_name).
        SEATMETER_TABLE_USAGE: store.tableName,
        SEATMETER_TABLE_ACTIVITY: store.tableName,
        SEATMETER_TABLE_REQUEST: store.tableName,
        SEATMETER_STATE_TABLE: state.table.tableName,
        SEATMETER_ARCHIVE_BUCKET: archive.bucket.bucketName,
        SEATMETER_INGEST_SECRET_ID: ingestSecret.secretArn,
        SEATMETER_METRICS_NAMESPACE: props.metricsNamespace,
      },
    });
    // The function must not start before its policy exists: its first request would fail on permissions.
    this.function.node.addDependency(role);

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 on purpose: the bundle targets node22 (lib/lambda-bundling.ts) and the receiver was measured on it; the runtime moves together with that target.',
    });
    const acknowledgeWildcard = (resource: string, reason: string): void =>
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    acknowledgeWildcard(`<${logicalIdOf(this.logGroup)}.Arn>:*`, 'Log streams are named by Lambda at run time, so the statement covers the streams of this one log group.');
    acknowledgeWildcard('*', 'timestream:DescribeEndpoints has no resource type: the Timestream SDK calls it to find the cell endpoint before any write.');
    acknowledgeWildcard(
      `<${logicalIdOf(archive.bucket)}.Arn>/${archive.rawPrefix}*`,
      'The receiver writes one object per export under raw/, keyed at run time by date, hour and request id; nothing outside raw/.',
    );
  }
}
