import type { AlertChannel } from '../budgets/alerts/alert-channels.ts';
import type { AlertLedger } from '../budgets/alerts/alert-ledger.ts';
import type { BudgetBook } from '../budgets/budget-book.ts';
import type { Budget } from '../budgets/definition.ts';
import { runLedger } from '../budgets/ledger/ledger-run.ts';
import type { LedgerTable } from '../budgets/ledger/ledger-table.ts';

export interface BudgetAlertsDependencies {
  readonly table: LedgerTable;
  readonly book: BudgetBook;
  readonly ledger: AlertLedger;
  /** The alerts topic: every alert goes there as well as to Slack. */
  readonly alertsTopic: AlertChannel;
  /** The alarm topic, where an alert that could not be delivered is raised. */
  readonly alarmTopic: AlertChannel;
  readonly defaultWebhookUrl: () => Promise<string | null>;
  readonly slackChannel: (url: string) => AlertChannel;
  readonly boardUrl: string | null;
  readonly now: () => number;
  readonly log: (line: Readonly<Record<string, unknown>>) => void;
}

/** What one run did, for the log line and the caller. */
export interface BudgetAlertsSummary {
  readonly foldedThrough: string;
  readonly refolded: number;
  readonly backfilled: readonly string[];
  readonly evaluated: readonly string[];
  readonly delivered: readonly string[];
  readonly failed: readonly string[];
}

/**
 * The scheduled minute of the deployed budgets (EventBridge Scheduler, rate 1 minute, one run at a time):
 * runLedger with Slack (the budget's webhook, or the default) and the alerts topic as channels. A run that
 * throws is retried by the next minute's, which redoes whatever the failed one left.
 */
export function createBudgetAlertsHandler(dependencies: BudgetAlertsDependencies): () => Promise<BudgetAlertsSummary> {
  return async () => {
    const defaultUrl = await dependencies.defaultWebhookUrl();
    const channelsFor = (budget: Budget | null): AlertChannel[] => {
      const url = budget?.slackWebhookUrl ?? defaultUrl;
      return [...(url === null ? [] : [dependencies.slackChannel(url)]), dependencies.alertsTopic];
    };
    const run = await runLedger(dependencies.table, {
      book: dependencies.book,
      ledger: dependencies.ledger,
      channelsFor,
      alarm: (text) => dependencies.alarmTopic.deliver({ subject: 'seatmeter: a budget alert could not be delivered', text, blocks: [] }),
      boardUrl: dependencies.boardUrl,
      now: dependencies.now,
    });
    const summary: BudgetAlertsSummary = {
      foldedThrough: new Date(run.fold.foldedThroughMs).toISOString(),
      refolded: run.fold.refolded,
      backfilled: run.fold.backfilled,
      evaluated: run.evaluated,
      delivered: run.alerts.delivered,
      failed: run.alerts.failed,
    };
    dependencies.log({ message: 'budgets run', ...summary });
    return summary;
  };
}
