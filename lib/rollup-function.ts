import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ROLLUP_KEY_PREFIXES } from '../lambdas/rollup/output/layout.ts';
import { ANTHROPIC_SECRET_ENV, GITHUB_SECRET_ENV, OKTA_SECRET_ENV } from '../lambdas/rollup/partners.ts';
import { logicalIdOf } from './logical-id.ts';
import { acknowledgeWildcard, seatmeterFunction } from './seatmeter-function.ts';
import type { TeamTables } from './team-tables.ts';
import type { RecordStoreResources } from './record-store-resources.ts';

export interface RollupFunctionProps {
  readonly store: RecordStoreResources;
  readonly tables: TeamTables;
  readonly oktaSecret: ISecret;
  readonly anthropicSecret: ISecret;
  /** Its `repos` turn feature attribution on; while empty, every session is `unattributed`. */
  readonly gitHubSecret: ISecret;
  readonly logRetention: RetentionDays;
  /** CloudWatch namespace of the rollup's run metrics. */
  readonly metricsNamespace: string;
  /** The Okta org and the rule that picks its team groups. @default - none: every invocation fails with "no team rule" */
  readonly teams?: { readonly oktaOrgUrl: string; readonly teamGroups: string };
}

const ENTRY = 'lambdas/rollup-lambda/lambda.ts';
/**
 * A run rolls up two days. `npm run bench` takes 15 s of CPU for a day of 10,000 developers on a 2-core machine
 * (up to 40 s on a busy one), so 80 s for the two; reading 2,000 Okta groups at Okta's per-minute rate limits
 * takes a few minutes more, and the Timestream queries some seconds. Lambda's ceiling of 15 minutes leaves twice
 * that: a run cut off by its timeout loses all its work, and unused time costs nothing.
 */
const TIMEOUT = Duration.minutes(15);
/**
 * The bench day peaks at 1.0 GB resident (sources, rows and Parquet held at once); 2 GB leaves room for the
 * Timestream SDK's pages, and from 1,769 MB Lambda gives the single-threaded run a whole vCPU.
 */
const MEMORY_MB = 2048;
/** Lambda retries a failed asynchronous run twice (after about 1 and 3 minutes): a partner's bad minute passes. */
const RUN_RETRIES = 2;
/** Events older than this are not run again but sent to the dead-letter queue. */
const MAX_EVENT_AGE = Duration.hours(6);
/** SQS's longest retention: a failed run waits two weeks for someone to re-run its days. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The daily team rollup Lambda (lambdas/rollup-lambda/lambda.ts) and where its failures go. The schedule invokes it
 * asynchronously, so Lambda, not the schedule, retries a run that throws, and after the last retry sends the
 * event with the error to the dead-letter queue; the schedule sends there what it could not deliver at all.
 * Its role reads the one store table, writes the rollup's key prefixes in the team bucket, reads the Okta,
 * Anthropic and GitHub secrets and records a failed run: every statement names its resources.
 */
export class RollupFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: RollupFunctionProps) {
    super(scope, id);
    const { store, tables, oktaSecret, anthropicSecret, gitHubSecret } = props;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: DEAD_LETTER_RETENTION });
    const prefixArns = ROLLUP_KEY_PREFIXES.map((prefix) => tables.bucket.arnForObjects(`${tables.prefix}${prefix}*`));
    const { function: fn, role, logGroup } = seatmeterFunction(this, {
      entry: ENTRY,
      description: 'seatmeter team rollup: a day of usage joined with Okta teams, GitHub features and the Claude Code Analytics API, as Parquet',
      roleDescription: 'seatmeter team rollup',
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      logRetention: props.logRetention,
      statements: [
        ...store.readerStatements,
        new PolicyStatement({ sid: 'WriteTeamTables', actions: ['s3:PutObject'], resources: prefixArns }),
        new PolicyStatement({ sid: 'ReadPartnerCredentials', actions: ['secretsmanager:GetSecretValue'], resources: [oktaSecret.secretArn, anthropicSecret.secretArn, gitHubSecret.secretArn] }),
        new PolicyStatement({ sid: 'RecordFailedRuns', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
      ],
      environment: {
        ...store.readerEnvironment,
        SEATMETER_TEAM_BUCKET: tables.bucket.bucketName,
        SEATMETER_TEAM_PREFIX: tables.prefix,
        ...(props.teams === undefined ? {} : { SEATMETER_TEAM_GROUPS: props.teams.teamGroups, OKTA_ORG_URL: props.teams.oktaOrgUrl }),
        [OKTA_SECRET_ENV]: oktaSecret.secretArn,
        [ANTHROPIC_SECRET_ENV]: anthropicSecret.secretArn,
        [GITHUB_SECRET_ENV]: gitHubSecret.secretArn,
        SEATMETER_METRICS_NAMESPACE: props.metricsNamespace,
      },
    });
    this.function = fn;
    this.logGroup = logGroup;
    // The destination's own grant would add GetQueueAttributes and GetQueueUrl: RecordFailedRuns is all it needs.
    fn.configureAsyncInvoke({ retryAttempts: RUN_RETRIES, maxEventAge: MAX_EVENT_AGE, onFailure: { bind: () => ({ destination: this.deadLetterQueue.queueArn }) } });

    store.acknowledgeWildcards(role, false);
    for (const prefix of ROLLUP_KEY_PREFIXES) {
      acknowledgeWildcard(
        role,
        `<${logicalIdOf(tables.bucket)}.Arn>/${tables.prefix}${prefix}*`,
        `The rollup replaces one object per day under ${prefix} (dt=YYYY-MM-DD/…), keyed by the day it rolls up; nothing outside its table prefixes.`,
      );
    }
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the rollup (failed runs, undeliverable schedule events); a queue behind it would only move the same messages away from the alarm.',
    });
  }
}
