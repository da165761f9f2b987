import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { LATEST_TEAM_MAP_KEY } from '../lambdas/rollup/output/layout.ts';
import type { ArchiveBucket } from './archive-bucket.ts';
import type { BudgetsTable } from './budgets-table.ts';
import { RECEIVER_BUNDLE } from './lambda-bundling.ts';
import { logicalIdOf } from './logical-id.ts';
import { acknowledgeWildcard, seatmeterFunction } from './seatmeter-function.ts';
import type { SeriesStateTable } from './series-state-table.ts';
import type { RecordStoreResources } from './record-store-resources.ts';

export interface ReceiverFunctionProps {
  readonly store: RecordStoreResources;
  readonly state: SeriesStateTable;
  readonly archive: ArchiveBucket;
  readonly budgets: BudgetsTable;
  /** The rollup's bucket: the receiver reads only its team_map/latest.json. */
  readonly teamBucket: IBucket;
  readonly ingestSecret: ISecret;
  readonly logRetention: RetentionDays;
  /** CloudWatch namespace of the receiver's EMF metrics. */
  readonly metricsNamespace: string;
}

/** API Gateway gives up on an integration after 30 s; the receiver must answer (503 at worst) before that. */
const TIMEOUT = Duration.seconds(28);
/** Protobuf decoding is CPU-bound and Lambda's CPU share grows with memory. */
const MEMORY_MB = 1024;

/**
 * The receiver Lambda and the one role it runs with: every statement names the single resource (or key prefix)
 * it needs, so the policy reads as the list of what the receiver does.
 */
export class ReceiverFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ReceiverFunctionProps) {
    super(scope, id);
    const { store, state, archive, budgets, teamBucket, ingestSecret } = props;
    const { function: fn, role, logGroup } = seatmeterFunction(this, {
      entry: RECEIVER_BUNDLE.entry,
      description: 'seatmeter OTLP/HTTP receiver: decode, normalize, price, store',
      roleDescription: 'seatmeter OTLP receiver',
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      logRetention: props.logRetention,
      statements: [
        ...store.writerStatements,
        new PolicyStatement({
          sid: 'KeepSeriesState',
          actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
          resources: [state.table.tableArn],
        }),
        new PolicyStatement({
          sid: 'KeepSpendLedgerAndAnswerBudgets',
          // PutItem: ledger cells and late marks; GetItem and Query: budgets, grants and their standing for decisions.
          actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'],
          resources: [budgets.table.tableArn],
        }),
        new PolicyStatement({ sid: 'ReadTeamMap', actions: ['s3:GetObject'], resources: [teamBucket.arnForObjects(LATEST_TEAM_MAP_KEY)] }),
        new PolicyStatement({ sid: 'ArchiveRawExports', actions: ['s3:PutObject'], resources: [archive.bucket.arnForObjects(`${archive.rawPrefix}*`)] }),
        new PolicyStatement({ sid: 'ReadIngestCredentials', actions: ['secretsmanager:GetSecretValue'], resources: [ingestSecret.secretArn] }),
      ],
      environment: {
        ...store.writerEnvironment,
        SEATMETER_STATE_TABLE: state.table.tableName,
        SEATMETER_BUDGETS_TABLE: budgets.table.tableName,
        SEATMETER_TEAM_MAP_BUCKET: teamBucket.bucketName,
        SEATMETER_ARCHIVE_BUCKET: archive.bucket.bucketName,
        SEATMETER_INGEST_SECRET_ID: ingestSecret.secretArn,
        SEATMETER_METRICS_NAMESPACE: props.metricsNamespace,
      },
    });
    this.function = fn;
    this.logGroup = logGroup;

    store.acknowledgeWildcards(role, true);
    acknowledgeWildcard(
      role,
      `<${logicalIdOf(archive.bucket)}.Arn>/${archive.rawPrefix}*`,
      'The receiver writes one object per export under raw/, keyed at run time by date, hour and request id; nothing outside raw/.',
    );
  }
}
