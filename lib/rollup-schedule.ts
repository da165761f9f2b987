import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RollupEvent } from '../lambdas/rollup-lambda/lambda-handler.ts';

export interface RollupScheduleProps {
  readonly rollup: IFunction;
  readonly deadLetterQueue: IQueue;
  /** EventBridge Scheduler expression, `cron(…)` or `rate(…)`, in UTC. */
  readonly expression: string;
}

/**
 * The event of every scheduled run: the schedule's own time, which the handler counts its two days back from, so
 * that a run retried after midnight redoes the same days.
 */
const SCHEDULED_EVENT = { scheduledTime: '<aws.scheduler.scheduled-time>' } satisfies RollupEvent;
/**
 * Retries of a delivery Lambda refused (throttled, briefly unavailable). A failed *run* is Lambda's to retry:
 * the schedule invokes asynchronously, and an accepted event counts as delivered.
 */
const DELIVERY_RETRIES = 3;
const MAX_DELIVERY_AGE = Duration.hours(6);

/**
 * EventBridge Scheduler's daily trigger of the rollup, with a role of its own that may invoke the one function
 * and send to its dead-letter queue, nothing else; only this account's schedules can assume it.
 */
export class RollupSchedule extends Construct {
  readonly schedule: CfnSchedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RollupScheduleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'EventBridge Scheduler: runs the seatmeter team rollup',
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ sid: 'InvokeRollup', actions: ['lambda:InvokeFunction'], resources: [props.rollup.functionArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ sid: 'DeadLetterUndeliveredRuns', actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }));
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'seatmeter team rollup: yesterday and the day before',
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.rollup.functionArn,
        roleArn: this.role.roleArn,
        input: JSON.stringify(SCHEDULED_EVENT),
        retryPolicy: { maximumRetryAttempts: DELIVERY_RETRIES, maximumEventAgeInSeconds: MAX_DELIVERY_AGE.toSeconds() },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
    // The schedule must not fire before its role may invoke the function.
    this.schedule.node.addDependency(this.role);
  }
}
