/**
 * The stack with every optional setting given (custom domain, alarm email, other retentions and throttling, the
 * teams of the rollup): each resource with the properties that matter, the receiver's IAM policy statement by
 * statement, the buckets' protections, log retention, and that no secret value reaches the template. The
 * rollup's own resources: test/lib/team-rollup.test.ts.
 */
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestMetricsDocument } from '../../lambdas/receiver/request-metrics.ts';
import { logicalIdOf } from '../../lib/logical-id.ts';
import type { TelemetryStore } from '../../lib/telemetry-store.ts';
import { dimensionValues, directives } from '../support/emf-reading.ts';
import { storeEnvironment, synthSeatmeterApp } from '../support/cdk-app.ts';
import type { SynthesizedApp } from '../support/cdk-app.ts';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b7c8f2e-2d1a-4c57-9c43-6f0e1c2b3a4d';
const CONTEXT = {
  'seatmeter:memoryStoreRetentionHours': '12',
  'seatmeter:magneticStoreRetentionDays': '400',
  'seatmeter:archiveColdAfterDays': '30',
  'seatmeter:logRetentionDays': '30',
  'seatmeter:throttleRateLimit': '50',
  'seatmeter:throttleBurstLimit': '100',
  'seatmeter:domainName': 'seatmeter.example.com',
  'seatmeter:certificateArn': CERTIFICATE,
  'seatmeter:alarmEmail': 'ops@example.com',
  'seatmeter:oktaOrgUrl': 'https://acme.okta.com',
  'seatmeter:teamGroups': 'prefix:team-',
};

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthSeatmeterApp({ context: CONTEXT });
}, 180_000);
afterAll(() => synthesized.dispose());

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
const resources = (type: string): Resources => synthesized.template.findResources(type) as Resources;
const only = (type: string) => {
  const found = Object.entries(resources(type));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resources[string]];
};
const resourceOf = (construct: IConstruct) => synthesized.template.toJSON().Resources[logicalIdOf(construct)] as Resources[string];
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
const refOf = (construct: IConstruct) => ({ Ref: logicalIdOf(construct) });

describe('telemetry store', () => {
  it('is one Timestream database and one table "events", both kept when the stack goes', () => {
    const pipeline = synthesized.stack.pipeline;
    const [, database] = only('AWS::Timestream::Database');
    const [, table] = only('AWS::Timestream::Table');
    expect([database.DeletionPolicy, database.UpdateReplacePolicy, table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['Retain', 'Retain', 'Retain', 'Retain']);
    expect(table.Properties).toEqual({
      DatabaseName: refOf((pipeline.timestream as TelemetryStore).database),
      TableName: 'events',
      RetentionProperties: { MemoryStoreRetentionPeriodInHours: '12', MagneticStoreRetentionPeriodInDays: '400' },
      MagneticStoreWriteProperties: {
        EnableMagneticStoreWrites: true,
        MagneticStoreRejectedDataLocation: {
          S3Configuration: { BucketName: refOf((pipeline.timestream as TelemetryStore).rejectionReports), EncryptionOption: 'SSE_S3', ObjectKeyPrefix: 'magnetic-store-rejections/' },
        },
      },
    });
  });
});

describe('budgets table', () => {
  it('is on-demand DynamoDB keyed by pk and sk, expiring through expires_at, backed up and kept', () => {
    const table = resourceOf(synthesized.stack.pipeline.budgets.table);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('series state table', () => {
  it('is on-demand DynamoDB keyed by series_key, expiring through expires_at, backed up and kept', () => {
    const table = resourceOf(synthesized.stack.pipeline.state.table);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'series_key', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'series_key', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('buckets', () => {
  it('are all encrypted, private, ACL-free and kept when the stack goes', () => {
    const buckets = Object.values(resources('AWS::S3::Bucket'));
    // Access logs, archive, Timestream rejections, team tables, Athena results.
    expect(buckets).toHaveLength(5);
    for (const bucket of buckets) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    }
  });

  it('each refuse any request without TLS 1.2, to the bucket and to every object', () => {
    const policies = Object.values(resources('AWS::S3::BucketPolicy'));
    for (const id of Object.keys(resources('AWS::S3::Bucket'))) {
      const policy = policies.find((candidate) => JSON.stringify(candidate.Properties?.Bucket) === JSON.stringify({ Ref: id }));
      const everything = [{ 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] }];
      expect(policy?.Properties?.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: everything },
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: everything },
        ]),
      });
    }
  });

  it('log their access to the access-log bucket, which expires logs with the log retention', () => {
    const pipeline = synthesized.stack.pipeline;
    const accessLogs = refOf(pipeline.node.findChild('AccessLogs').node.findChild('Bucket'));
    const archive = resources('AWS::S3::Bucket')[logicalIdOf(pipeline.archive.bucket)];
    const rejections = resources('AWS::S3::Bucket')[logicalIdOf((pipeline.timestream as TelemetryStore).rejectionReports)];
    expect(archive?.Properties?.LoggingConfiguration).toEqual({ DestinationBucketName: accessLogs, LogFilePrefix: 'archive/' });
    expect(rejections?.Properties?.LoggingConfiguration).toEqual({ DestinationBucketName: accessLogs, LogFilePrefix: 'timestream-rejections/' });
    synthesized.template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] } });
  });

  it('move the raw archive to Glacier Instant Retrieval after the configured days', () => {
    const archive = resources('AWS::S3::Bucket')[logicalIdOf(synthesized.stack.pipeline.archive.bucket)];
    expect(archive?.Properties?.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'raw-to-glacier-instant-retrieval', Prefix: 'raw/', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }] },
        { Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      ],
    });
  });
});

describe('receiver function', () => {
  it('runs the bundle on Node.js 22 arm64 with the settings of lambda-config.ts', () => {
    const { state, archive, secrets, receiver } = synthesized.stack.pipeline;
    const store = synthesized.stack.pipeline.timestream as TelemetryStore;
    const fn = resourceOf(receiver.function);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 28,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: refOf(synthesized.stack.pipeline.receiver.logGroup) },
      Environment: {
        Variables: {
          ...storeEnvironment(store),
          SEATMETER_STATE_TABLE: refOf(state.table),
          SEATMETER_BUDGETS_TABLE: refOf(synthesized.stack.pipeline.budgets.table),
          SEATMETER_TEAM_MAP_BUCKET: refOf(synthesized.stack.pipeline.teamTables.bucket),
          SEATMETER_ARCHIVE_BUCKET: refOf(archive.bucket),
          SEATMETER_INGEST_SECRET_ID: refOf(secrets.ingestCredentials),
          SEATMETER_METRICS_NAMESPACE: 'Seatmeter',
        },
      },
    });
  });

  it('runs as a role that only Lambda assumes, with no managed policy', () => {
    const role = resourceOf(synthesized.stack.pipeline.receiver.node.findChild('Role'));
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties?.Policies).toBeUndefined();
  });

  it('may only write its logs and its table, probe its table, use its state table, keep the ledger and read budgets, read the team map, put under raw/ and read its one secret', () => {
    const { receiver, state, archive, secrets, budgets, teamTables } = synthesized.stack.pipeline;
    const store = synthesized.stack.pipeline.timestream as TelemetryStore;
    const role = refOf(receiver.node.findChild('Role'));
    const policies = Object.values(resources('AWS::IAM::Policy')).filter((candidate) => JSON.stringify(candidate.Properties?.Roles) === JSON.stringify([role]));
    expect(policies).toHaveLength(1);
    const [policy] = policies as [Resources[string]];
    expect(policy.Properties?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::Join': ['', [arnOf(receiver.logGroup), ':*']] } },
        { Sid: 'WriteAndProbeRecords', Effect: 'Allow', Action: ['timestream:Select', 'timestream:WriteRecords'], Resource: arnOf(store.table) },
        { Sid: 'DiscoverTimestreamEndpoints', Effect: 'Allow', Action: 'timestream:DescribeEndpoints', Resource: '*' },
        {
          Sid: 'KeepSeriesState',
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          Resource: arnOf(state.table),
        },
        { Sid: 'KeepSpendLedgerAndAnswerBudgets', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: arnOf(budgets.table) },
        { Sid: 'ReadTeamMap', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arnOf(teamTables.bucket), '/team_map/latest.json']] } },
        { Sid: 'ArchiveRawExports', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [arnOf(archive.bucket), '/raw/*']] } },
        { Sid: 'ReadIngestCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: refOf(secrets.ingestCredentials) },
      ],
    });
  });

  it('keeps its logs, like every log group, for the configured days', () => {
    const logGroups = Object.values(resources('AWS::Logs::LogGroup'));
    // The receiver's, the API's access logs, the rollup's, the budget alerts'.
    expect(logGroups).toHaveLength(4);
    for (const group of logGroups) expect(group.Properties?.RetentionInDays).toBe(30);
  });
});

describe('ingest API', () => {
  it('sends every route to the receiver through $default, with payload format 2.0', () => {
    const [apiId, api] = only('AWS::ApiGatewayV2::Api');
    expect(api.Properties).toMatchObject({ ProtocolType: 'HTTP' });
    const [integrationId, integration] = only('AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: arnOf(synthesized.stack.pipeline.receiver.function),
    });
    const [, route] = only('AWS::ApiGatewayV2::Route');
    expect(route.Properties).toMatchObject({ RouteKey: '$default', Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] } });
    synthesized.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: arnOf(synthesized.stack.pipeline.receiver.function),
    });
  });

  it('throttles the $default stage and logs each request without its headers', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: arnOf(synthesized.stack.pipeline.ingest.accessLogs) },
    });
    const format = JSON.parse((stage.Properties?.AccessLogSettings as { Format: string }).Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', path: '$context.path' });
    expect(Object.values(format).filter((variable) => /header|authoriz/i.test(variable))).toEqual([]);
  });

  it('answers on the custom domain with its certificate, TLS 1.2', () => {
    const [domainId, domain] = only('AWS::ApiGatewayV2::DomainName');
    expect(domain.Properties).toEqual({
      DomainName: 'seatmeter.example.com',
      DomainNameConfigurations: [{ CertificateArn: CERTIFICATE, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    const [, mapping] = only('AWS::ApiGatewayV2::ApiMapping');
    expect(mapping.Properties).toMatchObject({ DomainName: { Ref: domainId }, ApiId: refOf(synthesized.stack.pipeline.ingest.api), Stage: '$default' });
  });
});

describe('secrets', () => {
  it('generates the ingest credential at deploy, alphanumeric, in the single-credential form', () => {
    synthesized.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"id":"initial"}', GenerateStringKey: 'token', PasswordLength: 40, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  it('creates the Okta and Anthropic secrets without any value for the operator to fill', () => {
    const { okta, anthropicAdminKey } = synthesized.stack.pipeline.secrets;
    for (const secret of [okta, anthropicAdminKey]) {
      const properties = resources('AWS::SecretsManager::Secret')[logicalIdOf(secret)]?.Properties;
      expect(Object.keys(properties ?? {})).toEqual(['Description']);
    }
  });

  it('puts no secret value in the template', () => {
    const secrets = Object.values(resources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(5);
    for (const secret of secrets) expect(secret.Properties?.SecretString).toBeUndefined();
    expect(JSON.stringify(synthesized.template.toJSON())).not.toContain('{{resolve:secretsmanager');
    const functions = Object.values(resources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      const variables = Object.keys((fn.Properties?.Environment as { Variables: object }).Variables);
      expect(variables.filter((name) => /TOKEN|KEY|PASSWORD/.test(name))).toEqual([]);
    }
  });
});

describe('budget alerts', () => {
  it('runs every minute, one at a time, unretried: the next minute redoes a failed one', () => {
    const { budgetAlerts } = synthesized.stack.pipeline;
    expect(resourceOf(budgetAlerts.function).Properties).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 120, Handler: 'index.handler', Runtime: 'nodejs22.x' });
    expect(resourceOf(budgetAlerts.schedule).Properties).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      Target: { Arn: arnOf(budgetAlerts.function), Input: '{}', RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } },
    });
    const configs = Object.values(resources('AWS::Lambda::EventInvokeConfig')).filter((config) => JSON.stringify(config.Properties?.FunctionName) === JSON.stringify(refOf(budgetAlerts.function)));
    expect(configs.map((config) => config.Properties?.MaximumRetryAttempts)).toEqual([0]);
    synthesized.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: logicalIdOf(budgetAlerts.topic) } });
  });

  it('may only fold and claim in the budgets table, publish to its topic and the alarm topic, and read the Slack webhook secret', () => {
    const { budgetAlerts, budgets, alarms, secrets } = synthesized.stack.pipeline;
    const role = refOf(budgetAlerts.node.findChild('Role'));
    const policies = Object.values(resources('AWS::IAM::Policy')).filter((candidate) => JSON.stringify(candidate.Properties?.Roles) === JSON.stringify([role]));
    expect(policies.map((policy) => policy.Properties?.PolicyDocument)).toEqual([
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::Join': ['', [arnOf(budgetAlerts.logGroup), ':*']] } },
          {
            Sid: 'FoldLedgerAndClaimAlerts',
            Effect: 'Allow',
            Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
            Resource: arnOf(budgets.table),
          },
          { Sid: 'PublishAlertsAndAlarms', Effect: 'Allow', Action: 'sns:Publish', Resource: [refOf(alarms.topic), refOf(budgetAlerts.topic)] },
          { Sid: 'ReadDefaultSlackWebhook', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: refOf(secrets.slackWebhook) },
        ],
      },
    ]);
    expect(resourceOf(budgetAlerts.function).Properties?.Environment).toEqual({
      Variables: {
        SEATMETER_BUDGETS_TABLE: refOf(budgets.table),
        SEATMETER_ALERTS_TOPIC_ARN: refOf(budgetAlerts.topic),
        SEATMETER_ALARM_TOPIC_ARN: refOf(alarms.topic),
        SEATMETER_SLACK_WEBHOOK_SECRET_ID: refOf(secrets.slackWebhook),
      },
    });
  });
});

describe('alarms', () => {
  it('notify one topic, which takes only TLS and mails the configured address', () => {
    const topicId = logicalIdOf(synthesized.stack.pipeline.alarms.topic);
    synthesized.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
    synthesized.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm'));
    // The receiver's six, the rollup's errors, throttles and dead letters, the budget alerts' errors and throttles.
    expect(alarms).toHaveLength(11);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }], TreatMissingData: 'notBreaching' });
    }
  });

  it('watch the receiver function for failures and throttles', () => {
    const fn = refOf(synthesized.stack.pipeline.receiver.function);
    for (const metricName of ['Errors', 'Throttles']) {
      synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: fn }],
        Statistic: 'Sum',
        Threshold: 1,
      });
    }
  });

  it('watch the receiver metrics by the names and dimension the receiver emits', () => {
    const emitted = requestMetricsDocument({ requestId: 'r', method: 'POST', path: '/v1/metrics', status: 200, outcome: '', ms: 1 }, { storageRetries: 0, seriesStateConflicts: 0 }, 0, 'Seatmeter');
    const emittedNames = directives(emitted).flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
    const watched = Object.values(resources('AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties ?? {})
      .filter((properties) => properties.Namespace === 'Seatmeter');
    expect(watched.map((properties) => [properties.MetricName, properties.Statistic, properties.Period, properties.Threshold, properties.EvaluationPeriods])).toEqual([
      ['Status5xx', 'Average', 300, 0.05, 3],
      ['DataPointsRejected', 'Sum', 3600, 1, 1],
      ['UnpricedTokens', 'Sum', 3600, 1, 1],
      ['AuthFailures', 'Sum', 300, 100, 1],
    ]);
    for (const properties of watched) {
      expect(emittedNames).toContain(properties.MetricName);
      expect(properties.Dimensions).toEqual(Object.entries(dimensionValues(emitted)).map(([Name, Value]) => ({ Name, Value })));
    }
  });
});

describe('outputs', () => {
  it('give the custom-domain URL, the secret, the DNS target and the command to hand developers', () => {
    const outputs = synthesized.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const domainId = only('AWS::ApiGatewayV2::DomainName')[0];
    expect(outputs.IngestUrl?.Value).toBe('https://seatmeter.example.com');
    expect(outputs.ClientConfigCommand?.Value).toBe('npx seatmeter client-config claude-code --endpoint https://seatmeter.example.com --token "$SEATMETER_INGEST_TOKEN"');
    expect(outputs.IngestCredentialsSecretArn?.Value).toEqual(refOf(synthesized.stack.pipeline.secrets.ingestCredentials));
    expect(outputs.CustomDomainTarget?.Value).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
  });
});
