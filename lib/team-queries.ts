import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, Names } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { IDatabase } from 'aws-cdk-lib/aws-glue';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults.ts';

export interface TeamQueriesProps {
  readonly database: IDatabase;
  readonly accessLogs: IBucket;
  /** Megabytes (10^6 bytes) a query may scan before Athena cancels it. */
  readonly bytesScannedCutoffMb: number;
  /** Substituted for `{{seat_price_usd}}` in the query files. */
  readonly seatPriceUsd: number;
}

/** The values a query file may name as `{{name}}`: deployment settings, fixed when the stack is synthesized. */
export interface QueryValues {
  readonly seat_price_usd: number;
}

/** One SQL file of dashboards/athena/ as a saved query. */
export interface NamedQuerySource {
  /** The file name without `.sql`. */
  readonly name: string;
  /** The file's leading comment: what question it answers, and its parameter if it has one. */
  readonly description: string;
  readonly sql: string;
}

const QUERIES_DIR = fileURLToPath(new URL('../dashboards/athena/', import.meta.url));
/** Athena's limits on a named query (CreateNamedQuery). */
const MAX_DESCRIPTION_CHARS = 1024;
const MAX_QUERY_CHARS = 262_144;
/** Results are re-made by running the query again; a month covers fetching them again or sharing a download. */
const RESULT_DAYS = 30;

export class NamedQueryError extends Error {
  override readonly name = 'NamedQueryError';
}

/**
 * Fills a query file's `{{name}}` slots. Athena's own `?` parameters are allowed in WHERE clauses only, and a
 * seat price belongs in the SELECT list, so deployment settings are written into the saved text instead.
 */
export function renderQuery(fileName: string, text: string, values: QueryValues): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_slot, name: string) => {
    if (!Object.hasOwn(values, name)) throw new NamedQueryError(`${fileName} names {{${name}}}, which is no deployment setting; known: ${Object.keys(values).join(', ')}`);
    return String(values[name as keyof QueryValues]);
  });
}

/** A query file as a saved query; a file Athena would refuse, or one that does not say what it answers, throws. */
export function namedQuerySource(fileName: string, text: string, values: QueryValues): NamedQuerySource {
  const sql = renderQuery(fileName, text, values);
  const comment: string[] = [];
  for (const line of sql.split('\n')) {
    if (!line.startsWith('--')) break;
    comment.push(line.slice(2).trim());
  }
  const description = comment.join(' ').replace(/\s+/g, ' ').trim();
  if (description === '') throw new NamedQueryError(`${fileName} must open with a -- comment saying which question it answers: it becomes the saved query's description`);
  if (description.length > MAX_DESCRIPTION_CHARS) throw new NamedQueryError(`${fileName}: its leading comment is ${description.length} characters; Athena keeps at most ${MAX_DESCRIPTION_CHARS} as a description`);
  if (sql.length > MAX_QUERY_CHARS) throw new NamedQueryError(`${fileName} is ${sql.length} characters; Athena saves queries of at most ${MAX_QUERY_CHARS}`);
  return { name: fileName.replace(/\.sql$/, ''), description, sql };
}

/** Every dashboards/athena/*.sql, read at synth, in name order. */
export function teamNamedQueries(values: QueryValues): NamedQuerySource[] {
  const files = readdirSync(QUERIES_DIR).filter((file) => file.endsWith('.sql')).sort();
  return files.map((file) => namedQuerySource(file, readFileSync(`${QUERIES_DIR}${file}`, 'utf8'), values));
}

/**
 * Where finance queries the team tables: an Athena workgroup whose settings bind every query run in it (its own
 * encrypted result bucket, engine version 3, a cutoff on the bytes one query scans, metrics in CloudWatch), and a
 * saved query per question of dashboards/athena/, run against the team database.
 */
export class TeamQueries extends Construct {
  readonly workgroup: CfnWorkGroup;
  readonly workgroupName: string;
  readonly results: Bucket;
  readonly namedQueries: readonly CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: TeamQueriesProps) {
    super(scope, id);
    this.results = new Bucket(
      this,
      'Results',
      secureBucketProps({
        serverAccessLogsBucket: props.accessLogs,
        serverAccessLogsPrefix: 'athena-results/',
        lifecycleRules: [
          { id: 'expire-results', expiration: Duration.days(RESULT_DAYS) },
          { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ],
      }),
    );
    // Workgroup names are per account and region: derived from the construct path, so two pipelines fit in one account.
    this.workgroupName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.workgroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workgroupName,
      description: 'seatmeter team rollup: finance queries over the team tables',
      state: 'ENABLED',
      // Lets `cdk destroy` remove the workgroup with the queries people saved in it; their results stay in the retained bucket.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffMb * 1_000_000,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.results.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    this.namedQueries = teamNamedQueries({ seat_price_usd: props.seatPriceUsd }).map(
      (query) =>
        new CfnNamedQuery(this, query.name, {
          name: query.name,
          description: query.description,
          database: props.database.databaseName,
          queryString: query.sql,
          workGroup: this.workgroup.ref,
        }),
    );
  }
}
