import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../../lambdas/budgets/alerts/alert-channels.ts';
import type { AlertMessage } from '../../../lambdas/budgets/alerts/alert-message.ts';
import { parseBudget } from '../../../lambdas/budgets/definition.ts';
import { runLedger } from '../../../lambdas/budgets/ledger/ledger-run.ts';
import { LedgerSpendSource } from '../../../lambdas/budgets/ledger/ledger-spend-source.ts';
import { LedgerWriter } from '../../../lambdas/budgets/ledger/ledger-writer.ts';
import { PublishedSpendSource, STANDINGS_MAX_AGE_MS } from '../../../lambdas/budgets/ledger/published-spend-source.ts';
import { DynamoDbAlertLedger } from '../../../lambdas/store/dynamodb/alert-ledger.ts';
import { DynamoDbBudgetBook } from '../../../lambdas/store/dynamodb/budget-book.ts';
import { DynamoDbLedgerTable } from '../../../lambdas/store/dynamodb/ledger-table.ts';
import { FakeBudgetsTable } from '../../support/fake-budgets-table.ts';
import { usage } from '../../support/records.ts';

const dynamodb = mockClient(DynamoDBClient);
const fake = new FakeBudgetsTable(50);
beforeEach(() => {
  dynamodb.reset();
  fake.install(dynamodb);
});
afterAll(() => dynamodb.restore());

const DAY = Date.parse('2026-12-07T00:00:00Z');
const MINUTE = 60_000;
const client = () => new DynamoDBClient({});
const clock = { now: DAY };
const table = () => new DynamoDbLedgerTable({ client: client(), tableName: 'budgets', now: () => clock.now });
const budget = parseBudget({ name: 'payments', scope: 'team:payments', period: 'day', limit_usd: 80, soft: [0.7] });

/** A channel that keeps what it was given: the test's Slack. */
function recorder(): AlertChannel & { readonly messages: AlertMessage[] } {
  const messages: AlertMessage[] = [];
  return { name: 'recorder', messages, deliver: async (message) => void messages.push(message) };
}

function services(channel: AlertChannel) {
  return {
    book: new DynamoDbBudgetBook({ client: client(), tableName: 'budgets' }),
    ledger: new DynamoDbAlertLedger({ client: client(), tableName: 'budgets' }),
    channelsFor: () => [channel],
    alarm: async () => undefined,
    boardUrl: null,
    now: () => clock.now,
  };
}

/** One export a minute of the team's usage, written 5 s into the minute, as the receiver would. */
async function exportMinute(minute: number, usd: number): Promise<void> {
  if (usd === 0) return;
  const time = DAY + minute * MINUTE;
  clock.now = time + 5_000;
  await new LedgerWriter(table(), () => clock.now).record([usage({ id: `m${minute}`, time_ms: time, team: 'payments', estimated_cost_usd: usd })]);
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

describe('the deployed alerts run', () => {
  it('on a runaway that ramps 10×, sends the spike, projection and thresholds once each, at the minutes the local rules do', async () => {
    await new DynamoDbBudgetBook({ client: client(), tableName: 'budgets' }).put(budget);
    const slack = recorder();
    const runaway = (minute: number) => (minute < 9 * 60 ? 0 : minute < 10 * 60 ? 0.1 : Math.min(1, 0.1 + (minute - 600) * 0.09));
    const sentAt: string[] = [];
    for (let minute = 9 * 60; minute < 11 * 60 + 30; minute += 1) {
      await exportMinute(minute, runaway(minute));
      clock.now = DAY + (minute + 1) * MINUTE;
      const before = slack.messages.length;
      await runLedger(table(), services(slack));
      for (let sent = before; sent < slack.messages.length; sent += 1) sentAt.push(hhmm(minute + 1));
    }
    expect(sentAt).toEqual(['10:06', '10:35', '10:55', '11:19']);
    expect(slack.messages.map((message) => message.subject)).toEqual([
      expect.stringContaining('Spend spike'),
      expect.stringContaining('on course to run out'),
      expect.stringContaining('passed 70 %'),
      expect.stringContaining('is exhausted'),
    ]);
    // The standing decisions read equals the ledger's own sum, and the spend so far.
    const spent = Array.from({ length: 11 * 60 + 30 }, (_, minute) => runaway(minute)).reduce((a, b) => a + b, 0);
    const query = { scope: budget.scope, tool: null, model: null, startMs: DAY, endMs: DAY + 86_400_000 };
    const published = await new PublishedSpendSource(table(), { spend: async () => expect.unreachable('fell back'), top: async () => [] }, () => clock.now).spend(query);
    expect(published.usd).toBeCloseTo(spent, 9);
    expect((await new LedgerSpendSource(table()).spend(query)).usd).toBeCloseTo(spent, 9);
  });

  it('sends each alert once when two runs overlap, and re-evaluates only budgets whose spend or definition changed', async () => {
    const book = new DynamoDbBudgetBook({ client: client(), tableName: 'budgets' });
    await book.put(budget);
    await book.put(parseBudget({ name: 'quiet', scope: 'team:search', period: 'day', limit_usd: 10 }));
    for (let minute = 600; minute < 610; minute += 1) await exportMinute(minute, 10);
    clock.now = DAY + 615 * MINUTE;
    const slack = recorder();
    const [first, second] = await Promise.all([runLedger(table(), services(slack)), runLedger(table(), services(slack))]);
    expect(slack.messages).toHaveLength(2);
    expect([...first.alerts.delivered, ...second.alerts.delivered].sort()).toEqual(['payments|2026-12-07|threshold:0.7', 'payments|2026-12-07|threshold:1']);

    clock.now += MINUTE;
    expect((await runLedger(table(), services(slack))).evaluated).toEqual([]);
    await exportMinute(616, 1);
    clock.now = DAY + 617 * MINUTE;
    expect((await runLedger(table(), services(slack))).evaluated).toEqual(['payments']);
    // Folding that minute is a change of the sums, so the next run looks once more.
    clock.now = DAY + 620 * MINUTE;
    expect((await runLedger(table(), services(slack))).evaluated).toEqual(['payments']);
    await book.put(parseBudget({ name: 'quiet', scope: 'team:search', period: 'day', limit_usd: 5 }));
    clock.now += MINUTE;
    expect((await runLedger(table(), services(slack))).evaluated).toEqual(['quiet']);
    expect(slack.messages).toHaveLength(2);
  });

  it('answers decisions from the ledger when the standings are stale or lack the budget', async () => {
    await exportMinute(600, 3);
    clock.now = DAY + 601 * MINUTE;
    const query = { scope: budget.scope, tool: null, model: null, startMs: DAY, endMs: DAY + 86_400_000 };
    const ledger = new LedgerSpendSource(table());
    expect((await new PublishedSpendSource(table(), ledger, () => clock.now).spend(query)).usd).toBe(3);
    await new DynamoDbBudgetBook({ client: client(), tableName: 'budgets' }).put(budget);
    await runLedger(table(), services(recorder()));
    await exportMinute(601, 4);
    clock.now = DAY + 601 * MINUTE + STANDINGS_MAX_AGE_MS + 1;
    expect((await new PublishedSpendSource(table(), new LedgerSpendSource(table()), () => clock.now).spend(query)).usd).toBe(7);
  });
});
