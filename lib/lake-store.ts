import { Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import { CfnTable, Database, DataFormat, DateIntervalUnit, PartitionProjectionConfiguration, S3Table, S3TableStorage, Schema } from 'aws-cdk-lib/aws-glue';
import type { Type } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { LogGroup, LogStream } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ColumnType } from '../lambdas/records/schema.ts';
import { LAKE_COLUMNS, LAKE_PARTITION, LAKE_RAW_TABLE, LAKE_VIEW, lakeViewSql } from '../lambdas/store/lake/layout.ts';
import { secureBucketProps } from './bucket-defaults.ts';
import { logicalIdOf } from './logical-id.ts';
import type { RecordStoreResources } from './record-store-resources.ts';
import { acknowledgeWildcard } from './seatmeter-function.ts';
import type { TeamQueries } from './team-queries.ts';

export interface LakeStoreProps {
  readonly accessLogs: IBucket;
  /** The Athena workgroup readers query in (its result bucket, its bytes-scanned cutoff). */
  readonly queries: TeamQueries;
  readonly logRetention: RetentionDays;
}

const GLUE_TYPE: Readonly<Record<ColumnType, Type>> = { string: Schema.STRING, bigint: Schema.BIG_INT, double: Schema.DOUBLE };
const PRESTO_TYPE: Readonly<Record<ColumnType, string>> = { string: 'varchar', bigint: 'bigint', double: 'double' };
const FIRST_DAY = '2025-01-01';
const RAW_PREFIX = `${LAKE_RAW_TABLE}/`;
const ERROR_PREFIX = 'delivery-errors/';
/** Firehose's largest buffer before it writes a file: fewer, bigger Parquet files; a minute at most late. */
const BUFFER_SECONDS = 60;
/** Record format conversion needs a buffer of at least 64 MB. */
const BUFFER_MB = 64;

/**
 * The lake: Amazon Data Firehose → Parquet on S3 → Athena, for accounts Timestream for LiveAnalytics is closed
 * to. The receiver puts JSON rows (lambdas/store/lake/layout.ts), several to a Firehose record; Firehose splits
 * them (record deaggregation), takes each row's `dt` as its partition (dynamic partitioning) and converts them
 * to Parquet with the Glue table's schema. `events_raw` holds what was delivered, repeats included; the `events`
 * view counts each record id once, and every reader queries the view. Partition projection on `dt` finds a new
 * day without crawlers, and a day's query reads that day's files.
 */
export class LakeStore extends Construct implements RecordStoreResources {
  readonly bucket: Bucket;
  readonly database: Database;
  readonly rawTable: S3Table;
  readonly view: CfnTable;
  readonly stream: CfnDeliveryStream;
  readonly deliveryRole: Role;
  readonly #queries: TeamQueries;

  constructor(scope: Construct, id: string, props: LakeStoreProps) {
    super(scope, id);
    this.#queries = props.queries;
    this.bucket = new Bucket(this, 'Bucket', secureBucketProps({ serverAccessLogsBucket: props.accessLogs, serverAccessLogsPrefix: 'lake/' }));
    this.database = new Database(this, 'Database', { description: 'seatmeter records: the lake' });
    const columns = LAKE_COLUMNS.map((column) => ({ name: column.name, type: GLUE_TYPE[column.type] }));
    this.rawTable = new S3Table(this, 'Raw', {
      database: this.database,
      tableName: LAKE_RAW_TABLE,
      description: 'seatmeter records as Firehose delivered them, repeats included: query the events view',
      storage: S3TableStorage.fromBucket(this.bucket),
      s3Prefix: RAW_PREFIX,
      dataFormat: DataFormat.PARQUET,
      columns,
      partitionKeys: [{ name: LAKE_PARTITION, type: Schema.STRING }],
      partitionProjection: {
        [LAKE_PARTITION]: PartitionProjectionConfiguration.date({ min: FIRST_DAY, max: 'NOW', format: 'yyyy-MM-dd', step: { interval: 1, intervalUnit: DateIntervalUnit.DAYS } }),
      },
      parameters: { 'storage.location.template': `s3://${this.bucket.bucketName}/${RAW_PREFIX}${LAKE_PARTITION}=\${${LAKE_PARTITION}}/` },
      hasEncryptedData: false,
    });
    this.view = this.#view();

    const logGroup = new LogGroup(this, 'DeliveryLogs', { retention: props.logRetention });
    const logStream = new LogStream(this, 'DeliveryLogStream', { logGroup });
    this.deliveryRole = new Role(this, 'DeliveryRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'seatmeter lake: Firehose writes the records under events_raw/ and its errors under delivery-errors/',
    });
    for (const statement of [
      new PolicyStatement({ sid: 'FindBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.bucket.bucketArn] }),
      new PolicyStatement({
        sid: 'WriteRecordsAndErrors',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
        resources: [this.bucket.arnForObjects(`${RAW_PREFIX}*`), this.bucket.arnForObjects(`${ERROR_PREFIX}*`)],
      }),
      new PolicyStatement({ sid: 'ReadSchema', actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'], resources: this.#catalogArns([LAKE_RAW_TABLE]) }),
      new PolicyStatement({ sid: 'LogDeliveryErrors', actions: ['logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}:log-stream:${logStream.logStreamName}`] }),
    ]) {
      this.deliveryRole.addToPrincipalPolicy(statement);
    }
    this.stream = new CfnDeliveryStream(this, 'Stream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        prefix: `${RAW_PREFIX}${LAKE_PARTITION}=!{partitionKeyFromQuery:${LAKE_PARTITION}}/`,
        errorOutputPrefix: `${ERROR_PREFIX}!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/`,
        bufferingHints: { intervalInSeconds: BUFFER_SECONDS, sizeInMBs: BUFFER_MB },
        // Parquet compresses its own pages (Snappy); the object itself stays uncompressed.
        compressionFormat: 'UNCOMPRESSED',
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: Duration.minutes(5).toSeconds() } },
        processingConfiguration: {
          enabled: true,
          processors: [
            // The writer packs rows under Firehose's 5 KB billing unit, one JSON object per line.
            { type: 'RecordDeAggregation', parameters: [{ parameterName: 'SubRecordType', parameterValue: 'JSON' }] },
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: `{${LAKE_PARTITION}: .${LAKE_PARTITION}}` },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
          ],
        },
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: { catalogId: Aws.ACCOUNT_ID, databaseName: this.database.databaseName, tableName: LAKE_RAW_TABLE, region: Aws.REGION, roleArn: this.deliveryRole.roleArn, versionId: 'LATEST' },
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: logGroup.logGroupName, logStreamName: logStream.logStreamName },
      },
    });
    // Firehose checks its role when the stream is created: the policy must exist first.
    this.stream.node.addDependency(this.deliveryRole);
    acknowledgeWildcard(this.deliveryRole, `<${logicalIdOf(this.bucket)}.Arn>/${RAW_PREFIX}*`, 'Firehose names each Parquet file at delivery, under its day partition; nothing outside events_raw/.');
    acknowledgeWildcard(this.deliveryRole, `<${logicalIdOf(this.bucket)}.Arn>/${ERROR_PREFIX}*`, 'Records Firehose could not convert or partition land here, named by Firehose, for the operator to inspect.');
  }

  /**
   * The deduplicating view, as the Glue catalog holds Athena views: a VIRTUAL_VIEW whose original text is the
   * Presto view definition (the SQL and its columns, base64-encoded). Defined here, it is deployed and updated
   * with the stack, never by a query someone has to remember to run.
   */
  #view(): CfnTable {
    const sql = lakeViewSql(this.database.databaseName).replace(/^CREATE OR REPLACE VIEW \S+ AS\n/, '');
    const viewColumns = [
      ...LAKE_COLUMNS.filter((column) => column.name !== 'time_ms').map((column) => ({ name: column.name, type: PRESTO_TYPE[column.type] })),
      { name: 'time_ms', type: 'bigint' },
      { name: 'time', type: 'timestamp(3)' },
      { name: LAKE_PARTITION, type: 'varchar' },
    ];
    const definition = { originalSql: sql, catalog: 'awsdatacatalog', schema: this.database.databaseName, columns: viewColumns };
    const encoded = Stack.of(this).toJsonString(definition);
    return new CfnTable(this, 'View', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.database.databaseName,
      tableInput: {
        name: LAKE_VIEW,
        description: 'seatmeter records, each record id once: what every reader queries',
        tableType: 'VIRTUAL_VIEW',
        parameters: { presto_view: 'true', comment: 'Presto View' },
        viewOriginalText: `/* Presto View: ${Fn.base64(encoded)} */`,
        viewExpandedText: '/* Presto View */',
        storageDescriptor: {
          columns: viewColumns.map((column) => ({ name: column.name, type: column.type === 'varchar' ? 'string' : column.type === 'timestamp(3)' ? 'timestamp' : column.type })),
        },
      },
    });
  }

  #catalogArns(tables: readonly string[]): string[] {
    const base = `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}`;
    return [`${base}:catalog`, `${base}:database/${this.database.databaseName}`, ...tables.map((table) => `${base}:table/${this.database.databaseName}/${table}`)];
  }

  get readerEnvironment(): Readonly<Record<string, string>> {
    return { SEATMETER_STORE: 'lake', SEATMETER_LAKE_WORKGROUP: this.#queries.workgroupName, SEATMETER_LAKE_DATABASE: this.database.databaseName };
  }

  get writerEnvironment(): Readonly<Record<string, string>> {
    return { ...this.readerEnvironment, SEATMETER_LAKE_STREAM: this.stream.ref };
  }

  get readerStatements(): readonly PolicyStatement[] {
    const workgroupArn = `arn:${Aws.PARTITION}:athena:${Aws.REGION}:${Aws.ACCOUNT_ID}:workgroup/${this.#queries.workgroupName}`;
    const results = this.#queries.results;
    return [
      new PolicyStatement({ sid: 'QueryLake', actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'], resources: [workgroupArn] }),
      new PolicyStatement({ sid: 'ReadLakeCatalog', actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'], resources: this.#catalogArns([LAKE_RAW_TABLE, LAKE_VIEW]) }),
      new PolicyStatement({ sid: 'ReadLakeFiles', actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${RAW_PREFIX}*`)] }),
      new PolicyStatement({ sid: 'ListLake', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.bucket.bucketArn, results.bucketArn] }),
      new PolicyStatement({ sid: 'WriteQueryResults', actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], resources: [results.arnForObjects('*')] }),
    ];
  }

  get writerStatements(): readonly PolicyStatement[] {
    // The receiver also reads doctor's probe back, through the same queries as any reader.
    return [new PolicyStatement({ sid: 'PutRecords', actions: ['firehose:PutRecordBatch'], resources: [this.stream.attrArn] }), ...this.readerStatements];
  }

  acknowledgeWildcards(role: Role): void {
    acknowledgeWildcard(role, `<${logicalIdOf(this.bucket)}.Arn>/${RAW_PREFIX}*`, 'Athena reads the day partitions a query names, files Firehose named at delivery; nothing outside events_raw/.');
    acknowledgeWildcard(role, `<${logicalIdOf(this.#queries.results)}.Arn>/*`, "Athena writes each query's results under a name it picks, in the workgroup's own result bucket.");
  }

  get outputs(): readonly (readonly [string, string, string])[] {
    return [
      ['LakeBucket', this.bucket.bucketName, 'S3 bucket of the lake (events_raw/dt=YYYY-MM-DD/*.parquet)'],
      ['LakeDatabase', this.database.databaseName, 'Glue database of the lake: query its events view'],
      ['LakeStream', this.stream.ref, 'Firehose delivery stream the receiver writes to, for seatmeter replay'],
    ];
  }
}
