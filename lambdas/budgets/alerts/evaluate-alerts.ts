import type { BudgetBook } from '../budget-book.ts';
import type { Budget } from '../definition.ts';
import type { SpendSource } from '../spend.ts';
import type { AlertChannel } from './alert-channels.ts';
import type { AlertClaim, AlertLedger } from './alert-ledger.ts';
import { alertMessage } from './alert-message.ts';
import { dueAlerts } from './alert-rules.ts';
import type { DueAlert } from './alert-rules.ts';

export interface AlertServices {
  readonly book: BudgetBook;
  readonly spends: SpendSource;
  readonly ledger: AlertLedger;
  /** The channels of a budget's alerts (its own Slack webhook or the default, SNS); null for a removed budget. */
  readonly channelsFor: (budget: Budget | null) => AlertChannel[];
  /** Where an alert that could not be delivered is raised: the alarm topic, the server's log. */
  readonly alarm: (text: string) => Promise<void>;
  readonly boardUrl: string | null;
  readonly now: () => number;
  /**
   * The budgets this pass looks at; all when absent. A budget whose spend did not change since the last pass
   * cannot have a new alert due (every rule needs new spend), so the deployed run skips it.
   */
  readonly evaluates?: (budget: Budget) => boolean;
}

export interface AlertRun {
  readonly delivered: string[];
  readonly failed: string[];
}

const TOP = 5;

async function claimFor(alert: DueAlert, services: AlertServices, nowMs: number): Promise<AlertClaim> {
  const { budget, period } = alert.standing;
  const query = { scope: budget.scope, tool: budget.tool, model: budget.model, startMs: period.startMs, endMs: period.endMs };
  const [users, models, repos] = await Promise.all([services.spends.top(query, 'user', TOP), services.spends.top(query, 'model', TOP), services.spends.top(query, 'repo', TOP)]);
  return { key: alert.key, budget: budget.name, periodKey: period.key, kind: alert.kind, message: alertMessage(alert, { users, models, repos }, services.boardUrl) };
}

/** Sends a claimed alert on every channel and settles it; a failure is recorded and raised, never dropped. */
async function deliver(claim: AlertClaim, budget: Budget | null, services: AlertServices): Promise<boolean> {
  const channels = services.channelsFor(budget);
  const failures: string[] = [];
  if (channels.length === 0) failures.push('no alert channel: give the budget a slack_webhook_url or the server a default (--slack-webhook-url)');
  for (const channel of channels) {
    try {
      await channel.deliver(claim.message);
    } catch (error) {
      failures.push(`${channel.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length === 0) {
    await services.ledger.settle(claim.key, { deliveredAtMs: services.now() });
    return true;
  }
  const failure = failures.join('; ');
  await services.ledger.settle(claim.key, { failure });
  await services.alarm(`seatmeter could not deliver the alert "${claim.message.subject}" (${claim.key}): ${failure}`);
  return false;
}

/**
 * One pass over every budget: alerts that came due are claimed (once, whoever else evaluates) and sent; claims
 * left unsettled by an evaluator that died are sent now. Runs every minute, so an alert goes out within two of
 * its condition.
 */
export async function evaluateAlerts(services: AlertServices): Promise<AlertRun> {
  const nowMs = services.now();
  const [budgets, grants] = await Promise.all([services.book.budgets(), services.book.grants()]);
  const byName = new Map(budgets.map((budget) => [budget.name, budget]));
  const run: AlertRun = { delivered: [], failed: [] };
  const settle = async (claim: AlertClaim) => ((await deliver(claim, byName.get(claim.budget) ?? null, services)) ? run.delivered : run.failed).push(claim.key);
  for (const orphan of await services.ledger.takeOrphans(nowMs)) await settle(orphan);
  for (const budget of budgets) {
    if (services.evaluates !== undefined && !services.evaluates(budget)) continue;
    const due = await dueAlerts(budget, services.spends, grants, nowMs);
    if (due.length === 0) continue;
    const claimed = await services.ledger.claimed(due.map((alert) => alert.key));
    for (const alert of due) {
      if (claimed.has(alert.key)) continue;
      const claim = await claimFor(alert, services, nowMs);
      if (await services.ledger.claim(claim, nowMs)) await settle(claim);
    }
  }
  return run;
}
