import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { budgetAlertsConfigFrom } from '../../lambdas/budget-alerts-lambda/lambda-config.ts';
import { SlackWebhookSecretError, webhookUrlOf } from '../../lambdas/budget-alerts-lambda/slack-webhook-secret.ts';
import { parseBudget } from '../../lambdas/budgets/definition.ts';
import { LedgerWriter } from '../../lambdas/budgets/ledger/ledger-writer.ts';
import { DynamoDbBudgetBook } from '../../lambdas/store/dynamodb/budget-book.ts';
import { DynamoDbLedgerTable } from '../../lambdas/store/dynamodb/ledger-table.ts';
import { FakeBudgetsTable } from '../support/fake-budgets-table.ts';
import { SLACK_HOOK_PATH, startFakeSlack } from '../support/fake-slack.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import { usage } from '../support/records.ts';

const dynamodb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const table = new FakeBudgetsTable(100);
const ENV = {
  SEATMETER_BUDGETS_TABLE: 'budgets',
  SEATMETER_ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
  SEATMETER_ALARM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alarms',
  SEATMETER_SLACK_WEBHOOK_SECRET_ID: 'seatmeter/slack',
  SEATMETER_BOARD_URL: 'https://grafana.example.com/d/seatmeter-usage',
};
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack();
  Object.assign(process.env, ENV);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(async () => {
  for (const mock of [dynamodb, sns, secrets]) mock.restore();
  await slack.close();
});
beforeEach(async () => {
  for (const mock of [dynamodb, sns, secrets]) mock.reset();
  table.install(dynamodb);
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ webhook_url: `${slack.url}${SLACK_HOOK_PATH}` }) });
  await new DynamoDbBudgetBook({ client: new DynamoDBClient({}), tableName: 'budgets' }).put(parseBudget({ name: 'org', scope: 'org', period: 'day', limit_usd: 1, soft: [0.5] }));
  // $2 of usage two minutes ago, written as the receiver writes it.
  const time = Date.now() - 120_000;
  await new LedgerWriter(new DynamoDbLedgerTable({ client: new DynamoDBClient({}), tableName: 'budgets' })).record([usage({ id: `u${time}`, time_ms: time, estimated_cost_usd: 2 })]);
});

const published = () => sns.commandCalls(PublishCommand).map((call) => [call.args[0].input.TopicArn, call.args[0].input.Subject]);

describe('the budget alerts Lambda', () => {
  it('sends each crossed threshold once to the default Slack webhook and the alerts topic, linking the board', async () => {
    vi.resetModules();
    const { handler } = await import('../../lambdas/budget-alerts-lambda/lambda.ts');
    const before = slack.messages.length;
    const first = await handler();
    expect(first.delivered).toEqual([expect.stringMatching(/^org\|.*\|threshold:0\.5$/), expect.stringMatching(/^org\|.*\|threshold:1$/)]);
    expect(slack.messages.length - before).toBe(2);
    expect(JSON.stringify(slack.messages.at(-1))).toContain('https://grafana.example.com/d/seatmeter-usage');
    expect(published()).toEqual([
      [ENV.SEATMETER_ALERTS_TOPIC_ARN, expect.stringContaining('passed 50 %')],
      [ENV.SEATMETER_ALERTS_TOPIC_ARN, expect.stringContaining('is exhausted')],
    ]);
    expect((await handler()).delivered).toEqual([]);
    expect(slack.messages.length - before).toBe(2);
  });

  it('without a default webhook (its secret never filled), alerts only on SNS; a refused publish is raised on the alarm topic', async () => {
    vi.resetModules();
    secrets.reset();
    secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value", $metadata: {} }));
    sns.reset();
    sns.on(PublishCommand, { TopicArn: ENV.SEATMETER_ALERTS_TOPIC_ARN }).rejects(Object.assign(new Error('Authorization error'), { name: 'AuthorizationErrorException' }));
    sns.on(PublishCommand, { TopicArn: ENV.SEATMETER_ALARM_TOPIC_ARN }).resolves({ MessageId: 'a' });
    const before = slack.messages.length;
    const { handler } = await import('../../lambdas/budget-alerts-lambda/lambda.ts');
    const run = await handler();
    expect([run.delivered, run.failed.length]).toEqual([[], 2]);
    expect(slack.messages.length).toBe(before);
    const alarms = sns.commandCalls(PublishCommand, { TopicArn: ENV.SEATMETER_ALARM_TOPIC_ARN }).map((call) => call.args[0].input.Message);
    expect(alarms).toEqual([expect.stringContaining('sns: SNS refused the message: AuthorizationErrorException'), expect.stringContaining('threshold:1')]);
  });
});

describe('its settings', () => {
  it('names a missing setting, and refuses a board URL that is not one', () => {
    const { SEATMETER_ALARM_TOPIC_ARN: _, ...missing } = ENV;
    expect(() => budgetAlertsConfigFrom(missing)).toThrow('SEATMETER_ALARM_TOPIC_ARN');
    expect(() => budgetAlertsConfigFrom({ ...ENV, SEATMETER_BOARD_URL: 'grafana' })).toThrow('SEATMETER_BOARD_URL must be an http(s) URL');
    expect(budgetAlertsConfigFrom({ ...ENV, SEATMETER_BOARD_URL: '' }).boardUrl).toBeNull();
  });

  it('reads the webhook secret as the URL or as {"webhook_url"}, and refuses anything else', () => {
    expect(webhookUrlOf(' https://hooks.slack.com/services/T/B/X\n')).toBe('https://hooks.slack.com/services/T/B/X');
    expect(webhookUrlOf('{"webhook_url":"https://hooks.slack.com/services/T/B/X"}')).toBe('https://hooks.slack.com/services/T/B/X');
    expect(() => webhookUrlOf('{"url":"x"}')).toThrow(SlackWebhookSecretError);
    expect(() => webhookUrlOf('hooks.slack.com')).toThrow('incoming-webhook URL');
  });
});
