import { RemovalPolicy } from 'aws-cdk-lib';
import { Database, DataFormat, DateIntervalUnit, PartitionProjectionConfiguration, S3Table, S3TableStorage, Schema } from 'aws-cdk-lib/aws-glue';
import type { Type } from 'aws-cdk-lib/aws-glue';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ColumnType } from '../lambdas/records/schema.ts';
import { DAY_PARTITION, ROLLUP_TABLES } from '../lambdas/rollup/output/layout.ts';
import type { RollupTable } from '../lambdas/rollup/output/layout.ts';
import { ANALYTICS_COLUMNS, COVERAGE_COLUMNS, TEAM_USAGE_COLUMNS } from '../lambdas/rollup/tables.ts';
import { secureBucketProps } from './bucket-defaults.ts';

export interface TeamTablesProps {
  readonly accessLogs: IBucket;
}

/** Each table's columns as the rollup writes them (lambdas/rollup/tables.ts), so the catalog cannot drift from the files. */
const COLUMNS: { readonly [T in RollupTable]: readonly { readonly name: string; readonly type: ColumnType }[] } = {
  team_usage: TEAM_USAGE_COLUMNS,
  claude_code_analytics: ANALYTICS_COLUMNS,
  claude_code_coverage: COVERAGE_COLUMNS,
};
/** Glue's names of the Parquet types the rollup writes: a mismatch fails every query with HIVE_BAD_DATA. */
const GLUE_TYPE: Readonly<Record<ColumnType, Type>> = { string: Schema.STRING, bigint: Schema.BIG_INT, double: Schema.DOUBLE };
/** The day partition, in the rollup's key layout `<table>/dt=YYYY-MM-DD/`. */
/** The first day Athena projects. Earlier days were never rolled up; a later start would hide re-run history. */
const FIRST_DAY = '2025-01-01';

/**
 * The rollup's output and its catalog: the team bucket (the archive's protections: encrypted, TLS only, never
 * public, kept when the stack goes), and a Glue database with one table per rollup table. The tables find their
 * days by **partition projection** on `dt` (every day from FIRST_DAY to today, at the rollup's own key layout),
 * so a new day is queryable the moment its file lands: no crawler, no MSCK REPAIR, no partition to add.
 */
export class TeamTables extends Construct {
  readonly bucket: Bucket;
  /** Where the tables start in the bucket: its root, as the bucket holds nothing else. */
  readonly prefix = '';
  readonly database: Database;
  readonly tables: { readonly [T in RollupTable]: S3Table };

  constructor(scope: Construct, id: string, props: TeamTablesProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', secureBucketProps({ serverAccessLogsBucket: props.accessLogs, serverAccessLogsPrefix: 'team/' }));
    // Catalog entries only: the template recreates them, and the data stays in the retained bucket.
    this.database = new Database(this, 'Database', { description: 'seatmeter team rollup tables', removalPolicy: RemovalPolicy.DESTROY });
    const table = (name: RollupTable): S3Table =>
      new S3Table(this, name, {
        database: this.database,
        tableName: name,
        description: `seatmeter team rollup: ${name}, one Parquet file per day under ${DAY_PARTITION}=YYYY-MM-DD`,
        storage: S3TableStorage.fromBucket(this.bucket),
        s3Prefix: `${this.prefix}${name}/`,
        dataFormat: DataFormat.PARQUET,
        columns: COLUMNS[name].map((column) => ({ name: column.name, type: GLUE_TYPE[column.type] })),
        partitionKeys: [{ name: DAY_PARTITION, type: Schema.STRING }],
        partitionProjection: {
          [DAY_PARTITION]: PartitionProjectionConfiguration.date({ min: FIRST_DAY, max: 'NOW', format: 'yyyy-MM-dd', step: { interval: 1, intervalUnit: DateIntervalUnit.DAYS } }),
        },
        parameters: { 'storage.location.template': `s3://${this.bucket.bucketName}/${this.prefix}${name}/${DAY_PARTITION}=\${${DAY_PARTITION}}/` },
        // S3-managed keys are transparent to Athena; `true` would announce client-side encryption.
        hasEncryptedData: false,
      });
    this.tables = Object.fromEntries(ROLLUP_TABLES.map((name) => [name, table(name)])) as TeamTables['tables'];
  }
}
