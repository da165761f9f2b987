import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults.ts';
import type { RecordStoreResources } from './record-store-resources.ts';
import { acknowledgeWildcard } from './seatmeter-function.ts';

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
export class TelemetryStore extends Construct implements RecordStoreResources {
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

  get readerEnvironment(): Readonly<Record<string, string>> {
    // One table for all three kinds: each export is then one WriteRecords call (kinds differ by measure_name).
    return { SEATMETER_STORE: 'timestream', SEATMETER_TIMESTREAM_DATABASE: this.databaseName, SEATMETER_TABLE_USAGE: this.tableName, SEATMETER_TABLE_ACTIVITY: this.tableName, SEATMETER_TABLE_REQUEST: this.tableName };
  }

  get writerEnvironment(): Readonly<Record<string, string>> {
    return this.readerEnvironment;
  }

  get readerStatements(): readonly PolicyStatement[] {
    return [
      new PolicyStatement({ sid: 'ReadRecords', actions: ['timestream:Select'], resources: [this.table.attrArn] }),
      new PolicyStatement({ sid: 'DiscoverTimestreamEndpoints', actions: ['timestream:DescribeEndpoints'], resources: ['*'] }),
    ];
  }

  get writerStatements(): readonly PolicyStatement[] {
    return [
      new PolicyStatement({ sid: 'WriteAndProbeRecords', actions: ['timestream:WriteRecords', 'timestream:Select'], resources: [this.table.attrArn] }),
      new PolicyStatement({ sid: 'DiscoverTimestreamEndpoints', actions: ['timestream:DescribeEndpoints'], resources: ['*'] }),
    ];
  }

  acknowledgeWildcards(role: Role): void {
    acknowledgeWildcard(role, '*', 'timestream:DescribeEndpoints has no resource type: the Timestream SDK calls it to find the cell endpoint before any write or query.');
  }

  get outputs(): readonly (readonly [string, string, string])[] {
    return [
      ['TimestreamDatabase', this.databaseName, 'Timestream database of the records'],
      ['TimestreamTable', this.tableName, 'Timestream table of all three record kinds'],
    ];
  }
}
