import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults.ts';

export interface TelemetryStoreProps {
  readonly memoryStoreRetentionHours: number;
  readonly magneticStoreRetentionDays: number;
  readonly accessLogs: IBucket;
}

/** One table for the three record kinds, told apart by measure_name: an export is then a single WriteRecords call. */
const TABLE_NAME = 'events';
/** Magnetic-store rejection reports help with a replay gone wrong for a while, then only cost. */
const REJECTION_REPORT_DAYS = 90;

/**
 * The Timestream database and its one table. Magnetic-store writes are on so that late exports and replays of
 * old archive days land instead of being rejected; Timestream reports the few it rejects asynchronously into
 * a bucket of its own. The database and table outlive the stack: they hold the usage history.
 */
export class TelemetryStore extends Construct {
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly rejectionReports: Bucket;
  readonly databaseName: string;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: TelemetryStoreProps) {
    super(scope, id);
    this.rejectionReports = new Bucket(
      this,
      'RejectionReports',
      secureBucketProps({
        serverAccessLogsBucket: props.accessLogs,
        serverAccessLogsPrefix: 'timestream-rejections/',
        lifecycleRules: [{ expiration: Duration.days(REJECTION_REPORT_DAYS) }],
      }),
    );
    this.database = new CfnDatabase(this, 'Database');
    this.database.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.databaseName = this.database.ref;
    this.table = new CfnTable(this, 'Table', {
      databaseName: this.databaseName,
      tableName: TABLE_NAME,
      retentionProperties: {
        // CloudFormation takes both periods as strings.
        MemoryStoreRetentionPeriodInHours: String(props.memoryStoreRetentionHours),
        MagneticStoreRetentionPeriodInDays: String(props.magneticStoreRetentionDays),
      },
      magneticStoreWriteProperties: {
        EnableMagneticStoreWrites: true,
        MagneticStoreRejectedDataLocation: {
          S3Configuration: { BucketName: this.rejectionReports.bucketName, EncryptionOption: 'SSE_S3', ObjectKeyPrefix: 'magnetic-store-rejections/' },
        },
      },
    });
    this.table.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.tableName = this.table.attrName;

    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions-TS3',
      reason: "Encrypted with Timestream's AWS managed key: the records hold token counts and identities, never prompt text, and a customer managed key would add a key policy every reader (Grafana, the rollup) must be granted.",
    });
    for (const resource of [this.database, this.table]) {
      Validations.of(resource).acknowledge({
        id: 'CloudFormation-Validate::W3697',
        reason: 'Timestream for LiveAnalytics is closed to new accounts but kept for existing ones; seatmeter targets accounts that already use it (README, Deploy).',
      });
    }
  }
}
