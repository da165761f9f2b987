import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface PipelineAlarmsProps {
  /** Subscribed by email to the alarm topic. @default - no subscription */
  readonly email?: string;
}

/** When the receiver's own metrics call for a look. */
const RECEIVER_THRESHOLDS = {
  /** Share of requests answered 5xx, sustained over 15 minutes: clients retry a brief blip. */
  serverErrorRate: 0.05,
  /** Data points refused in an hour: each is usage that was not counted. */
  rejectedPointsPerHour: 1,
  /** Tokens stored without a price in an hour: a model missing from the price data. */
  unpricedTokensPerHour: 1,
  /** Failed authentications in 5 minutes: a misconfigured client sends about 60; a probe or a botched rotation, more. */
  authFailuresPer5Minutes: 100,
};

/** The receiver's EMF dimension (lambdas/receiver/request-metrics.ts): one series per metric. */
const RECEIVER_DIMENSIONS = { Service: 'receiver' };

/**
 * The pipeline's alarms and the SNS topic they notify. Components add theirs with one call each:
 * `watchFunction` for any Lambda (failures, throttles), `watchDeadLetterQueue` for work given up on,
 * `watchReceiver` for the receiver's own metrics.
 * No data means no traffic, which is not a fault.
 */
export class PipelineAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'seatmeter pipeline alarms', enforceSSL: true });
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry alarm names, states and thresholds only, never usage data or credentials; a KMS key would add cost and a key policy for CloudWatch without protecting anything.',
    });
  }

  /** A function that fails (an uncaught error or a timeout) or is throttled: both lose or delay work. */
  watchFunction(label: string, fn: IFunction): void {
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    this.add(`${label}Errors`, fn.metricErrors(fiveMinutes), 1, 1, `${label}: the function failed (uncaught error, crash or timeout). Read its log group for the error.`);
    this.add(`${label}Throttles`, fn.metricThrottles(fiveMinutes), 1, 1, `${label}: invocations were throttled by Lambda's concurrency limit.`);
  }

  /**
   * A dead-letter queue that holds anything: each message is work that was given up on. The alarm stays on until
   * the messages are dealt with and deleted, so it cannot be missed once and forgotten.
   */
  watchDeadLetterQueue(label: string, queue: IQueue, description: string): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    this.add(`${label}DeadLetters`, visible, 1, 1, description);
  }

  /**
   * The lake's delivery stream: data older than 15 minutes not yet in S3 (the board goes stale), records
   * Firehose throttled (the receiver resends them, then answers 503), and records it could not convert to
   * Parquet (they wait under delivery-errors/, counted nowhere until replayed).
   */
  watchDeliveryStream(streamName: string): void {
    const metric = (metricName: string, statistic: string): Metric =>
      new Metric({ namespace: 'AWS/Firehose', metricName, dimensionsMap: { DeliveryStreamName: streamName }, statistic, period: Duration.minutes(5) });
    this.add('LakeDataFreshness', metric('DeliveryToS3.DataFreshness', 'Maximum'), 900, 3, 'Lake: records have waited over 15 minutes to reach S3. Read the delivery stream\'s error log (Firehose console, Destination error logs).');
    this.add('LakeThrottledRecords', metric('ThrottledRecords', 'Sum'), 1, 1, 'Lake: Firehose throttled records; the receiver resends and, past its deadline, answers 503. Ask for a higher Firehose quota if it lasts.');
    this.add('LakeFailedConversion', metric('FailedConversion.Records', 'Sum'), 1, 1, 'Lake: records Firehose could not convert to Parquet are under delivery-errors/ in the lake bucket and counted nowhere; fix the cause and replay those hours.');
  }

  /** The receiver's request metrics, by the names it emits them under. */
  watchReceiver(namespace: string): void {
    const metric = (metricName: string, statistic: string, period: Duration): Metric =>
      new Metric({ namespace, metricName, dimensionsMap: RECEIVER_DIMENSIONS, statistic, period });
    // Every request emits Status5xx as 0 or 1, so its Average is the share of requests answered 5xx.
    this.add('ReceiverServerErrors', metric('Status5xx', 'Average', Duration.minutes(5)), RECEIVER_THRESHOLDS.serverErrorRate, 3, 'Receiver: answering 5xx (storage or archive trouble, clients retry). The receiver log names the failing store.');
    this.add('ReceiverRejectedPoints', metric('DataPointsRejected', 'Sum', Duration.hours(1)), RECEIVER_THRESHOLDS.rejectedPointsPerHour, 1, 'Receiver: data points were rejected and not counted. The rejectedReasons field of the receiver log says why.');
    this.add('ReceiverUnpricedTokens', metric('UnpricedTokens', 'Sum', Duration.hours(1)), RECEIVER_THRESHOLDS.unpricedTokensPerHour, 1, 'Receiver: tokens of a model without a price were stored. Add the model to schemas/price-overrides.json and redeploy.');
    this.add('ReceiverAuthFailures', metric('AuthFailures', 'Sum', Duration.minutes(5)), RECEIVER_THRESHOLDS.authFailuresPer5Minutes, 1, 'Receiver: a spike of failed authentications (leaked URL, or clients left with a rotated-out token).');
  }

  private add(id: string, metric: IMetric, threshold: number, periods: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    const notify = new SnsAction(this.topic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
  }
}
