import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { BudgetsTable } from './budgets-table.ts';
import { seatmeterFunction } from './seatmeter-function.ts';

export interface BudgetAlertsProps {
  readonly budgets: BudgetsTable;
  readonly alarmTopic: ITopic;
  readonly slackWebhook: ISecret;
  readonly logRetention: RetentionDays;
  /** Subscribed by email to the alerts topic. @default - no subscription */
  readonly email?: string;
  /** The usage board, linked from each alert. @default - no link */
  readonly boardUrl?: string;
}

/** Slack's retries stay under about two minutes (lambdas/slack/webhook-channel.ts); the run gets that and a margin. */
const TIMEOUT = Duration.minutes(2);
const MEMORY_MB = 512;

/**
 * The budgets' minute: the alerts topic, the alerts Lambda (fold the ledger, alert, publish the standings),
 * and EventBridge Scheduler running it every minute. Reserved concurrency 1 keeps one fold at a time (the
 * ledger's design relies on it); a run that fails is not retried, since the next minute's redoes it.
 */
export class BudgetAlerts extends Construct {
  readonly topic: Topic;
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly schedule: CfnSchedule;

  constructor(scope: Construct, id: string, props: BudgetAlertsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'seatmeter budget alerts', enforceSSL: true });
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Budget alerts carry spend totals and the top users, models and repos that the usage board shows to the same readers; no credential or prompt. A KMS key would add cost without protecting more.',
    });

    const { function: fn, logGroup } = seatmeterFunction(this, {
      entry: 'lambdas/budget-alerts-lambda/lambda.ts',
      description: 'seatmeter budgets: fold the spend ledger, send alerts, publish standings for the hard cap',
      roleDescription: 'seatmeter budget alerts',
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      logRetention: props.logRetention,
      statements: [
        new PolicyStatement({
          sid: 'FoldLedgerAndClaimAlerts',
          actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          resources: [props.budgets.table.tableArn],
        }),
        new PolicyStatement({ sid: 'PublishAlertsAndAlarms', actions: ['sns:Publish'], resources: [this.topic.topicArn, props.alarmTopic.topicArn] }),
        new PolicyStatement({ sid: 'ReadDefaultSlackWebhook', actions: ['secretsmanager:GetSecretValue'], resources: [props.slackWebhook.secretArn] }),
      ],
      environment: {
        SEATMETER_BUDGETS_TABLE: props.budgets.table.tableName,
        SEATMETER_ALERTS_TOPIC_ARN: this.topic.topicArn,
        SEATMETER_ALARM_TOPIC_ARN: props.alarmTopic.topicArn,
        SEATMETER_SLACK_WEBHOOK_SECRET_ID: props.slackWebhook.secretArn,
        ...(props.boardUrl === undefined ? {} : { SEATMETER_BOARD_URL: props.boardUrl }),
      },
    });
    (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = 1;
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(2) });
    this.function = fn;
    this.logGroup = logGroup;

    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'EventBridge Scheduler: runs the seatmeter budget alerts every minute',
    });
    role.addToPrincipalPolicy(new PolicyStatement({ sid: 'InvokeBudgetAlerts', actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'seatmeter budgets: fold, alert, publish standings',
      scheduleExpression: 'rate(1 minute)',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      // A minute missed is redone by the next: no delivery retries, no dead letters.
      target: { arn: fn.functionArn, roleArn: role.roleArn, input: '{}', retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
    });
    this.schedule.node.addDependency(role);
  }
}
