import type { AlertChannel } from '../budgets/alerts/alert-channels.ts';
import { evaluateAlerts } from '../budgets/alerts/evaluate-alerts.ts';
import type { AlertRun } from '../budgets/alerts/evaluate-alerts.ts';
import type { Budget } from '../budgets/definition.ts';
import type { BudgetServices } from '../http-answers/budget-answers.ts';
import { SlackWebhookChannel } from '../slack/webhook-channel.ts';
import { SerialQueue } from '../async/serial-queue.ts';

export interface LocalAlertOptions {
  /** The Slack incoming webhook of budgets that name none. */
  readonly defaultSlackWebhookUrl: string | null;
  /** How often budgets are evaluated; 0 turns the timer off. */
  readonly everyMs: number;
  /** The local page, linked from each alert. */
  readonly boardUrl: string;
  /** Where an undeliverable alert is reported: the server's log. */
  readonly log: (line: string) => void;
}

/** Evaluates the data directory's budgets on a timer, one pass at a time, sending alerts to Slack. */
export class LocalAlerts {
  readonly #queue = new SerialQueue();
  readonly #timer: NodeJS.Timeout | null;
  readonly #run: () => Promise<AlertRun>;
  #pending = 0;

  constructor(budgets: BudgetServices, options: LocalAlertOptions) {
    const channelsFor = (budget: Budget | null): AlertChannel[] => {
      const url = budget?.slackWebhookUrl ?? options.defaultSlackWebhookUrl;
      return url === null ? [] : [new SlackWebhookChannel(url)];
    };
    const alarm = async (text: string) => options.log(`alert ${text}`);
    this.#run = () => evaluateAlerts({ book: budgets.book, spends: budgets.spends, ledger: budgets.alerts, channelsFor, alarm, boardUrl: options.boardUrl, now: budgets.now });
    const tick = () => {
      // A pass still sending (Slack retrying) makes the next tick wait for the one after, not pile up behind it.
      if (this.#pending > 0) return;
      this.evaluate().catch((error: unknown) => options.log(`alert evaluation failed: ${error instanceof Error ? error.message : String(error)}`));
    };
    this.#timer = options.everyMs > 0 ? setInterval(tick, options.everyMs) : null;
    this.#timer?.unref();
  }

  /** One pass; a pass asked for while one runs waits for it, so two never claim side by side. */
  evaluate(): Promise<AlertRun> {
    this.#pending += 1;
    return this.#queue.run(this.#run).finally(() => {
      this.#pending -= 1;
    });
  }

  async close(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    await this.#queue.run(async () => undefined);
  }
}
