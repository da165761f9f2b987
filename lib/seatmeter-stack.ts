import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SeatmeterPipelineProps } from './pipeline-config.ts';
import { SeatmeterPipeline } from './seatmeter-pipeline.ts';

export interface SeatmeterStackProps extends StackProps {
  readonly pipeline?: SeatmeterPipelineProps;
}

/**
 * The deployable stack: the pipeline and what the operator needs from it afterwards. Environment-agnostic
 * (no account or region at synth), so `cdk synth` needs no credentials; `cdk deploy` takes them from the
 * AWS profile.
 */
export class SeatmeterStack extends Stack {
  readonly pipeline: SeatmeterPipeline;

  constructor(scope: Construct, id: string, props: SeatmeterStackProps = {}) {
    super(scope, id, props);
    const pipeline = new SeatmeterPipeline(this, 'Pipeline', props.pipeline);
    this.pipeline = pipeline;
    const url = pipeline.ingest.url;
    const secretArn = pipeline.secrets.ingestCredentials.secretArn;
    const output = (id: string, value: string, description: string): CfnOutput => new CfnOutput(this, id, { value, description });
    output('IngestUrl', url, 'Base URL of the OTLP/HTTP receiver, handed to developers');
    output('IngestCredentialsSecretArn', secretArn, 'Secret holding the ingest credentials');
    output('IngestTokenCommand', `aws secretsmanager get-secret-value --secret-id ${secretArn} --query SecretString --output text`, 'Prints the ingest credentials (operator only)');
    output('ClientConfigCommand', `npx seatmeter client-config claude-code --endpoint ${url} --token "$SEATMETER_INGEST_TOKEN"`, 'What a developer runs (codex or gemini in place of claude-code), with the token in SEATMETER_INGEST_TOKEN');
    if (pipeline.ingest.domain !== undefined) {
      output('CustomDomainTarget', pipeline.ingest.domain.regionalDomainName, 'Point a CNAME (or Route 53 alias) of the custom domain at this name');
    }
    for (const [id, value, description] of pipeline.store.outputs) output(id, value, description);
    output('ArchiveBucket', pipeline.archive.bucket.bucketName, 'Raw archive bucket, for seatmeter replay --bucket');
    output('StateTable', pipeline.state.table.tableName, 'DynamoDB table of the cumulative series state');
    output('BudgetsTable', pipeline.budgets.table.tableName, 'DynamoDB table of the budgets, grants, alerts and spend ledger, for seatmeter budget --table');
    output('BudgetAlertsTopicArn', pipeline.budgetAlerts.topic.topicArn, 'SNS topic every budget alert is published on');
    output('SlackWebhookSecretArn', pipeline.secrets.slackWebhook.secretArn, 'Secret to fill with the default Slack incoming-webhook URL of budget alerts');
    output('AlarmTopicArn', pipeline.alarms.topic.topicArn, 'SNS topic of the pipeline alarms');
    output('OktaSecretArn', pipeline.secrets.okta.secretArn, 'Secret to fill with the Okta API credentials');
    output('GitHubSecretArn', pipeline.secrets.gitHub.secretArn, 'Secret to fill with the GitHub token and repositories of feature attribution');
    output('AnthropicAdminKeySecretArn', pipeline.secrets.anthropicAdminKey.secretArn, 'Secret to fill with the Anthropic Admin API key');
    output('TeamBucket', pipeline.teamTables.bucket.bucketName, 'Bucket of the team rollup tables, for seatmeter rollup --bucket');
    output('AthenaWorkgroup', pipeline.teamQueries.workgroupName, 'Athena workgroup of the team tables and their saved queries');
    output('AthenaDatabase', pipeline.teamTables.database.databaseName, 'Glue database of the team tables');
    output('RollupFunctionName', pipeline.rollup.function.functionName, 'The team rollup Lambda, to re-run a day by hand');
    output('RollupSchedule', pipeline.settings.rollupSchedule, 'When the team rollup runs (UTC); without Okta settings everyone is unassigned');
    output('RollupDeadLetterQueueUrl', pipeline.rollup.deadLetterQueue.queueUrl, 'Failed rollup runs, each waiting to be re-run');
  }
}
