import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../lambdas/budgets/alerts/evaluate-alerts.ts';
import type { AlertServices } from '../../../lambdas/budgets/alerts/evaluate-alerts.ts';
import { parseBudget } from '../../../lambdas/budgets/definition.ts';
import { SlackWebhookChannel } from '../../../lambdas/slack/webhook-channel.ts';
import { DuckDbAlertLedger } from '../../../lambdas/store/duckdb/alert-ledger.ts';
import { DuckDbBudgetBook } from '../../../lambdas/store/duckdb/budget-book.ts';
import { DuckDbSpendSource } from '../../../lambdas/store/duckdb/spend-reader.ts';
import { SLACK_HOOK_PATH, startFakeSlack } from '../../support/fake-slack.ts';
import { localStoreWithCaptures } from '../../support/local-store.ts';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const database = await localStoreWithCaptures();
const slack = await startFakeSlack();
afterAll(async () => {
  await database.close();
  await slack.close();
});

describe('evaluateAlerts', () => {
  it('records and raises an alert whose Slack keeps answering 500, after retrying it', async () => {
    const book = new DuckDbBudgetBook(database);
    await book.put(parseBudget({ name: 'org', scope: 'org', period: 'day', limit_usd: 0.05, soft: [0.5] }));
    const sleeps: number[] = [];
    const alarms: string[] = [];
    slack.failNext('webhook', ...Array.from({ length: 10 }, () => ({ status: 500 })));
    const services: AlertServices = {
      book,
      spends: new DuckDbSpendSource(database),
      ledger: new DuckDbAlertLedger(database),
      channelsFor: () => [new SlackWebhookChannel(`${slack.url}${SLACK_HOOK_PATH}`, { attempts: 3, sleep: async (ms) => void sleeps.push(ms) })],
      alarm: async (text) => void alarms.push(text),
      boardUrl: null,
      now: () => NOW,
    };
    expect(await evaluateAlerts(services)).toEqual({ delivered: [], failed: ['org|2026-11-22|threshold:0.5', 'org|2026-11-22|threshold:1'] });
    expect(sleeps).toEqual([1000, 2000, 1000, 2000]);
    expect(slack.messages).toEqual([]);
    expect(alarms).toEqual([expect.stringContaining('(org|2026-11-22|threshold:0.5): slack: Slack kept failing: answered 500 rollup_error'), expect.stringContaining('threshold:1')]);
    expect((await services.ledger.latest())[0]?.failure).toBe('slack: Slack kept failing: answered 500 rollup_error');
    // Without any channel the alert is still claimed and shows why it went nowhere.
    await book.put(parseBudget({ name: 'quiet', scope: 'org', period: 'day', limit_usd: 0.05, soft: [0.5] }));
    const run = await evaluateAlerts({ ...services, channelsFor: () => [] });
    expect(run.failed).toEqual(['quiet|2026-11-22|threshold:0.5', 'quiet|2026-11-22|threshold:1']);
    expect(alarms.at(-1)).toContain('no alert channel');
  });
});
