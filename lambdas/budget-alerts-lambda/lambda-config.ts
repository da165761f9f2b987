import { requiredEnv } from '../config/env.ts';

/** The alerts Lambda's settings, from the environment the CDK stack sets. */
export interface BudgetAlertsConfig {
  readonly budgetsTable: string;
  /** Every alert is published here (email, a pager, a chat bridge subscribe to it). */
  readonly alertsTopicArn: string;
  /** An alert no channel took is raised here, with the pipeline's other alarms. */
  readonly alarmTopicArn: string;
  /** The default Slack incoming webhook of budgets that name none; the secret may be left empty. */
  readonly slackWebhookSecretId: string;
  /** The usage board, linked from each alert; none when unset. */
  readonly boardUrl: string | null;
}

export class BudgetAlertsConfigError extends Error {
  override readonly name = 'BudgetAlertsConfigError';
}

export function budgetAlertsConfigFrom(env: NodeJS.ProcessEnv): BudgetAlertsConfig {
  const fail = (message: string) => new BudgetAlertsConfigError(message);
  const boardUrl = env.SEATMETER_BOARD_URL?.trim() ?? '';
  if (boardUrl !== '' && !/^https?:\/\//.test(boardUrl)) throw new BudgetAlertsConfigError(`SEATMETER_BOARD_URL must be an http(s) URL, got "${boardUrl}"`);
  return {
    budgetsTable: requiredEnv(env, 'SEATMETER_BUDGETS_TABLE', fail),
    alertsTopicArn: requiredEnv(env, 'SEATMETER_ALERTS_TOPIC_ARN', fail),
    alarmTopicArn: requiredEnv(env, 'SEATMETER_ALARM_TOPIC_ARN', fail),
    slackWebhookSecretId: requiredEnv(env, 'SEATMETER_SLACK_WEBHOOK_SECRET_ID', fail),
    boardUrl: boardUrl === '' ? null : boardUrl,
  };
}
