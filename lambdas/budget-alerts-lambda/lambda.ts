/**
 * The budget alerts Lambda's entry point, run every minute by EventBridge Scheduler with a reserved
 * concurrency of 1, so that one fold runs at a time. Clients are created once per container.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SlackWebhookChannel } from '../slack/webhook-channel.ts';
import { SnsTopicChannel } from '../sns/topic-channel.ts';
import { DynamoDbAlertLedger } from '../store/dynamodb/alert-ledger.ts';
import { DynamoDbBudgetBook } from '../store/dynamodb/budget-book.ts';
import { DynamoDbLedgerTable } from '../store/dynamodb/ledger-table.ts';
import { budgetAlertsConfigFrom } from './lambda-config.ts';
import { createBudgetAlertsHandler } from './lambda-handler.ts';
import type { BudgetAlertsSummary } from './lambda-handler.ts';
import { SlackWebhookSecret } from './slack-webhook-secret.ts';

const config = budgetAlertsConfigFrom(process.env);
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});
const webhook = new SlackWebhookSecret(new SecretsManagerClient({}), config.slackWebhookSecretId);

const run = createBudgetAlertsHandler({
  table: new DynamoDbLedgerTable({ client: dynamodb, tableName: config.budgetsTable }),
  book: new DynamoDbBudgetBook({ client: dynamodb, tableName: config.budgetsTable }),
  ledger: new DynamoDbAlertLedger({ client: dynamodb, tableName: config.budgetsTable }),
  alertsTopic: new SnsTopicChannel(sns, config.alertsTopicArn),
  alarmTopic: new SnsTopicChannel(sns, config.alarmTopicArn, 'alarm'),
  defaultWebhookUrl: () => webhook.url(),
  slackChannel: (url) => new SlackWebhookChannel(url),
  boardUrl: config.boardUrl,
  now: Date.now,
  log: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
});

export async function handler(): Promise<BudgetAlertsSummary> {
  return run();
}
