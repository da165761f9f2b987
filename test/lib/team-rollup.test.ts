/**
 * The team rollup's infrastructure: the function and its IAM policy statement by statement, its schedule and
 * dead-letter queue with their alarms, the team tables with partition projection, and the Athena workgroup with
 * a saved query per dashboards/athena/*.sql. Bundling is skipped: test/lib/seatmeter-app.test.ts loads the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysOfEvent } from '../../lambdas/rollup-lambda/lambda-handler.ts';
import { ROLLUP_TABLES } from '../../lambdas/rollup/output/layout.ts';
import { ANALYTICS_COLUMNS, COVERAGE_COLUMNS, TEAM_USAGE_COLUMNS } from '../../lambdas/rollup/tables.ts';
import { logicalIdOf } from '../../lib/logical-id.ts';
import type { TelemetryStore } from '../../lib/telemetry-store.ts';
import { NamedQueryError, namedQuerySource, renderQuery } from '../../lib/team-queries.ts';
import { storeEnvironment, synthSeatmeterApp } from '../support/cdk-app.ts';
import type { SynthesizedApp } from '../support/cdk-app.ts';

const QUERIES_DIR = new URL('../../dashboards/athena/', import.meta.url);
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const CONTEXT = {
  ...NO_BUNDLING,
  'seatmeter:oktaOrgUrl': 'https://acme.okta.com',
  'seatmeter:teamGroups': 'payments,platform',
  'seatmeter:rollupSchedule': 'cron(15 2 * * ? *)',
  'seatmeter:athenaBytesScannedCutoffMb': '500',
  'seatmeter:logRetentionDays': '30',
  'seatmeter:seatPriceUsd': '45.5',
};

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
let synthesized: SynthesizedApp;
let withoutTeams: SynthesizedApp;
beforeAll(() => {
  synthesized = synthSeatmeterApp({ context: CONTEXT, cloudFormationValidation: true });
  withoutTeams = synthSeatmeterApp({ context: NO_BUNDLING });
}, 180_000);
afterAll(() => {
  synthesized.dispose();
  withoutTeams.dispose();
});

const resourcesOf = (app: SynthesizedApp, type: string) => app.template.findResources(type) as Record<string, Resource>;
const resources = (type: string) => resourcesOf(synthesized, type);
const only = (type: string): [string, Resource] => {
  const found = Object.entries(resources(type));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};
const resourceOf = (construct: IConstruct) => synthesized.template.toJSON().Resources[logicalIdOf(construct)] as Resource;
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
const refOf = (construct: IConstruct) => ({ Ref: logicalIdOf(construct) });
const objectsUnder = (construct: IConstruct, prefix: string) => ({ 'Fn::Join': ['', [arnOf(construct), `/${prefix}*`]] });
const policyOf = (role: IConstruct) => {
  const policies = Object.values(resources('AWS::IAM::Policy')).filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([refOf(role)]));
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties?.PolicyDocument;
};

describe('rollup function', () => {
  it('runs lambdas/rollup on Node.js 22 arm64, 15 minutes and 2 GB, with the settings lambda-config.ts and partners.ts read', () => {
    const { rollup, teamTables, secrets } = synthesized.stack.pipeline;
    const store = synthesized.stack.pipeline.timestream as TelemetryStore;
    expect(resourceOf(rollup.function).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 900,
      MemorySize: 2048,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: refOf(rollup.logGroup) },
      Environment: {
        Variables: {
          ...storeEnvironment(store),
          SEATMETER_TEAM_BUCKET: refOf(teamTables.bucket),
          SEATMETER_TEAM_PREFIX: '',
          SEATMETER_TEAM_GROUPS: 'payments,platform',
          OKTA_ORG_URL: 'https://acme.okta.com',
          SEATMETER_OKTA_SECRET_ID: refOf(secrets.okta),
          SEATMETER_ANTHROPIC_SECRET_ID: refOf(secrets.anthropicAdminKey),
          SEATMETER_METRICS_NAMESPACE: 'Seatmeter',
        },
      },
    });
    expect(resourceOf(rollup.logGroup).Properties?.RetentionInDays).toBe(30);
  });

  it('runs as a role only Lambda assumes, with no managed policy', () => {
    const role = resourceOf(synthesized.stack.pipeline.rollup.node.findChild('Role'));
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect([role.Properties?.ManagedPolicyArns, role.Properties?.Policies]).toEqual([undefined, undefined]);
  });

  it('may only write its logs, read its store table, put under its prefixes of the team bucket, read the three partner secrets and dead-letter a run', () => {
    const { rollup, teamTables, secrets } = synthesized.stack.pipeline;
    const store = synthesized.stack.pipeline.timestream as TelemetryStore;
    expect(policyOf(rollup.node.findChild('Role'))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::Join': ['', [arnOf(rollup.logGroup), ':*']] } },
        { Sid: 'ReadRecords', Effect: 'Allow', Action: 'timestream:Select', Resource: arnOf(store.table) },
        { Sid: 'DiscoverTimestreamEndpoints', Effect: 'Allow', Action: 'timestream:DescribeEndpoints', Resource: '*' },
        {
          Sid: 'WriteTeamTables',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: ['claude_code_analytics/', 'claude_code_coverage/', 'team_map/', 'team_usage/'].map((prefix) => objectsUnder(teamTables.bucket, prefix)),
        },
        { Sid: 'ReadPartnerCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [refOf(secrets.anthropicAdminKey), refOf(secrets.gitHub), refOf(secrets.okta)] },
        { Sid: 'RecordFailedRuns', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(rollup.deadLetterQueue) },
      ],
    });
  });

  it('is retried twice by Lambda when a run fails, then its event goes to the dead-letter queue', () => {
    const { rollup } = synthesized.stack.pipeline;
    const configs = Object.values(resources('AWS::Lambda::EventInvokeConfig')).filter((config) => JSON.stringify(config.Properties?.FunctionName) === JSON.stringify(refOf(rollup.function)));
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toEqual({
      FunctionName: refOf(rollup.function),
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21_600,
      DestinationConfig: { OnFailure: { Destination: arnOf(rollup.deadLetterQueue) } },
    });
  });
});

describe('rollup schedule', () => {
  it('runs the configured expression in UTC with the event the handler counts its days from, retried, dead-lettered', () => {
    const { rollup, rollupSchedule } = synthesized.stack.pipeline;
    const schedule = resourceOf(rollupSchedule.schedule);
    expect(schedule.Properties).toEqual({
      Description: 'seatmeter team rollup: yesterday and the day before',
      ScheduleExpression: 'cron(15 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: arnOf(rollup.function),
        RoleArn: arnOf(rollupSchedule?.role ?? expect.unreachable('no schedule')),
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: arnOf(rollup.deadLetterQueue) },
      },
    });
    // What Scheduler delivers once it fills in the placeholder: the two days before the scheduled time.
    const input = (schedule.Properties?.Target as { Input: string }).Input.replace('<aws.scheduler.scheduled-time>', '2026-11-23T02:15:00Z');
    expect(daysOfEvent(JSON.parse(input) as object, Date.parse('2026-11-24T00:05:00Z'))).toEqual(['2026-11-21', '2026-11-22']);
  });

  it("runs as a role only this account's schedules assume, which may invoke the rollup and dead-letter, nothing else", () => {
    const role = synthesized.stack.pipeline.rollupSchedule?.role ?? expect.unreachable('no schedule');
    const { rollup } = synthesized.stack.pipeline;
    expect(resourceOf(role).Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
      ],
    });
    expect(policyOf(role)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'InvokeRollup', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(rollup.function) },
        { Sid: 'DeadLetterUndeliveredRuns', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(rollup.deadLetterQueue) },
      ],
    });
  });

  it('runs also while the teams are not configured: everyone is unassigned then', () => {
    // The rollup's, and the budgets' every minute.
    expect(Object.keys(resourcesOf(withoutTeams, 'AWS::Scheduler::Schedule'))).toHaveLength(2);
    const rollup = withoutTeams.template.toJSON().Resources[logicalIdOf(withoutTeams.stack.pipeline.rollup.function)] as Resource;
    const variables = Object.keys((rollup.Properties?.Environment as { Variables: object }).Variables);
    expect(variables).not.toContain('SEATMETER_TEAM_GROUPS');
    expect(variables).not.toContain('OKTA_ORG_URL');
    const outputs = withoutTeams.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.RollupSchedule?.Value).toBe(withoutTeams.stack.pipeline.settings.rollupSchedule);
  });
});

describe('rollup dead-letter queue', () => {
  it('is encrypted, keeps a failed run for 14 days and takes only TLS', () => {
    const queue = synthesized.stack.pipeline.rollup.deadLetterQueue;
    expect(resourceOf(queue).Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    const [, policy] = only('AWS::SQS::QueuePolicy');
    expect(policy.Properties).toMatchObject({
      Queues: [refOf(queue)],
      PolicyDocument: {
        Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: arnOf(queue) }],
      },
    });
  });

  it('alarms while it holds a message, as the function does when it fails or is throttled', () => {
    const { rollup } = synthesized.stack.pipeline;
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties ?? {});
    const topicId = logicalIdOf(synthesized.stack.pipeline.alarms.topic);
    const watching = (dimension: unknown) => alarms.filter((alarm) => JSON.stringify(alarm.Dimensions).includes(JSON.stringify(dimension)));
    expect(watching({ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(rollup.deadLetterQueue), 'QueueName'] } })).toEqual([
      expect.objectContaining({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Threshold: 1, AlarmActions: [{ Ref: topicId }] }),
    ]);
    expect(watching({ Name: 'FunctionName', Value: refOf(rollup.function) }).map((alarm) => [alarm.Namespace, alarm.MetricName, alarm.Threshold])).toEqual([
      ['AWS/Lambda', 'Errors', 1],
      ['AWS/Lambda', 'Throttles', 1],
    ]);
  });
});

describe('team tables', () => {
  const columnsOf = { team_usage: TEAM_USAGE_COLUMNS, claude_code_analytics: ANALYTICS_COLUMNS, claude_code_coverage: COVERAGE_COLUMNS };

  it('are one Glue table per rollup table, with the Parquet columns the rollup writes and partition projection on dt', () => {
    const { teamTables } = synthesized.stack.pipeline;
    const bucket = refOf(teamTables.bucket);
    const tables = Object.values(resources('AWS::Glue::Table')).map((table) => table.Properties?.TableInput as Record<string, unknown>);
    expect(tables.map((table) => table.Name)).toEqual([...ROLLUP_TABLES]);
    for (const name of ROLLUP_TABLES) {
      const table = tables.find((candidate) => candidate.Name === name);
      expect(table).toMatchObject({
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2025-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'storage.location.template': { 'Fn::Join': ['', ['s3://', bucket, `/${name}/dt=\${dt}/`]] },
          has_encrypted_data: false,
        },
        StorageDescriptor: {
          Location: { 'Fn::Join': ['', ['s3://', bucket, `/${name}/`]] },
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          Columns: columnsOf[name].map((column) => ({ Name: column.name, Type: column.type })),
        },
      });
    }
    const [databaseId] = only('AWS::Glue::Database');
    for (const table of Object.values(resources('AWS::Glue::Table'))) expect(table.Properties?.DatabaseName).toEqual({ Ref: databaseId });
    expect(Object.keys(resources('AWS::Glue::Crawler'))).toEqual([]);
  });

  it('are in a bucket of their own that is kept when the stack goes', () => {
    expect(resourceOf(synthesized.stack.pipeline.teamTables.bucket).DeletionPolicy).toBe('Retain');
  });
});

describe('Athena', () => {
  it('has a workgroup that enforces its encrypted result location, engine 3 and the configured scan cutoff', () => {
    const { teamQueries } = synthesized.stack.pipeline;
    expect(resourceOf(teamQueries.workgroup).Properties).toMatchObject({
      Name: teamQueries.workgroupName,
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 500_000_000,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', refOf(teamQueries.results), '/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    expect(resourceOf(teamQueries.results).Properties?.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'expire-results', Status: 'Enabled', ExpirationInDays: 30 },
        { Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      ],
    });
  });

  it('saves one query per dashboards/athena/*.sql, as written, against the team database in that workgroup', () => {
    const { teamQueries, teamTables } = synthesized.stack.pipeline;
    const files = readdirSync(QUERIES_DIR).filter((file) => file.endsWith('.sql')).sort();
    const queries = Object.values(resources('AWS::Athena::NamedQuery')).map((query) => query.Properties ?? {});
    expect(queries.map((query) => `${String(query.Name)}.sql`)).toEqual(files);
    for (const [index, file] of files.entries()) {
      expect(queries[index]).toMatchObject({
        QueryString: renderQuery(file, readFileSync(new URL(file, QUERIES_DIR), 'utf8'), { seat_price_usd: 45.5 }),
        Database: refOf(teamTables.database),
        WorkGroup: refOf(teamQueries.workgroup),
        Description: expect.stringMatching(/^\S.{40,1023}$/),
      });
    }
    // Athena takes `?` parameters in WHERE clauses only: the seat price setting is written into the saved text.
    const seatPrice = queries.find((query) => query.Name === 'api-cost-vs-seat-price');
    expect(String(seatPrice?.QueryString)).toContain('SELECT CAST(45.5 AS DOUBLE) AS price_usd');
    expect(String(seatPrice?.QueryString)).not.toMatch(/[?{}]/);
    expect(seatPrice?.Description).toContain('a monthly seat price of 45.5 US dollars per developer');
  });

  it.each([
    ['a query that does not say what it answers', 'SELECT 1', 'x.sql must open with a -- comment'],
    ['a description Athena would cut', `-- ${'word '.repeat(210)}\nSELECT 1`, 'x.sql: its leading comment is 1049 characters'],
    ['a query Athena would refuse to save', `-- Too long.\nSELECT '${'x'.repeat(262_144)}'`, 'Athena saves queries of at most 262144'],
    ['a slot for a setting that does not exist', '-- Seats.\nSELECT {{seat_price_eur}}', 'x.sql names {{seat_price_eur}}, which is no deployment setting; known: seat_price_usd'],
  ])('refuses %s at synth', (_, sql, message) => {
    expect(() => namedQuerySource('x.sql', sql, { seat_price_usd: 1 })).toThrow(NamedQueryError);
    expect(() => namedQuerySource('x.sql', sql, { seat_price_usd: 1 })).toThrow(message);
  });
});

describe('with the rollup scheduled', () => {
  it("passes cdk-nag's AWS Solutions rules and CDK's CloudFormation validation, as the default stack does", () => {
    expect(new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app).violations).toEqual([]);
    const report = JSON.parse(readFileSync(join(synthesized.outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: unknown[] }[] };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });
});

describe('outputs', () => {
  it('give the Athena workgroup and database, the team bucket, and what the operator needs of the rollup', () => {
    const { teamQueries, teamTables, rollup } = synthesized.stack.pipeline;
    const outputs = synthesized.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AthenaWorkgroup?.Value).toBe(teamQueries.workgroupName);
    expect(outputs.AthenaDatabase?.Value).toEqual(refOf(teamTables.database));
    expect(outputs.TeamBucket?.Value).toEqual(refOf(teamTables.bucket));
    expect(outputs.RollupFunctionName?.Value).toEqual(refOf(rollup.function));
    expect(outputs.RollupSchedule?.Value).toBe('cron(15 2 * * ? *)');
    expect(outputs.RollupDeadLetterQueueUrl?.Value).toEqual(refOf(rollup.deadLetterQueue));
  });
});
