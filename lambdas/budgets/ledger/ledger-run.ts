import { evaluateAlerts } from '../alerts/evaluate-alerts.ts';
import type { AlertRun, AlertServices } from '../alerts/evaluate-alerts.ts';
import { budgetJson } from '../definition.ts';
import type { Budget } from '../definition.ts';
import { periodAt } from '../period.ts';
import { foldLedger, wantedMeters } from './fold.ts';
import type { FoldRun } from './fold.ts';
import { MINUTE_MS, floorTo, mergeCells } from './ledger-cells.ts';
import { LedgerSpendSource } from './ledger-spend-source.ts';
import type { LedgerTable, PublishedStanding } from './ledger-table.ts';
import { meterKey, minuteSpends } from './meter.ts';

export interface LedgerRun {
  readonly fold: FoldRun;
  readonly alerts: AlertRun;
  /** Budgets whose standing was computed again (the rest kept theirs). */
  readonly evaluated: readonly string[];
}

const definitionOf = (budget: Budget): string => JSON.stringify(budgetJson(budget));

/**
 * The deployed budgets' minute: fold the ledger, then, for each budget whose spend changed (in what was
 * folded or in the minutes still open), whose period began, or whose definition changed, evaluate its alerts
 * and compute its standing; publish every budget's standing for the decisions to read.
 */
export async function runLedger(table: LedgerTable, services: Omit<AlertServices, 'spends' | 'evaluates'>): Promise<LedgerRun> {
  const nowMs = services.now();
  const budgets = await services.book.budgets();
  const fold = await foldLedger(table, wantedMeters(budgets, nowMs), nowMs);
  const open = mergeCells(await table.cells(fold.foldedThroughMs, floorTo(nowMs, MINUTE_MS) + MINUTE_MS));
  const spends = new LedgerSpendSource(table, { state: fold.state, open });
  const previous = (await table.standings())?.budgets ?? {};

  const changed = new Set([...fold.changed, ...fold.backfilled]);
  const stale = (budget: Budget): boolean => {
    const key = meterKey(budget);
    const known = previous[budget.name];
    return (
      changed.has(key) ||
      minuteSpends(budget, open).size > 0 ||
      known === undefined ||
      known.definition !== definitionOf(budget) ||
      known.startMs !== periodAt(budget.period, budget.timeZone, nowMs).startMs
    );
  };
  const evaluated = budgets.filter(stale);
  const names = new Set(evaluated.map((budget) => budget.name));
  const alerts = await evaluateAlerts({ ...services, spends, evaluates: (budget) => names.has(budget.name) });

  const published: Record<string, PublishedStanding> = {};
  for (const budget of budgets) {
    const known = previous[budget.name];
    if (!names.has(budget.name) && known !== undefined) {
      published[budget.name] = known;
      continue;
    }
    const period = periodAt(budget.period, budget.timeZone, nowMs);
    const spend = await spends.spend({ scope: budget.scope, tool: budget.tool, model: budget.model, startMs: period.startMs, endMs: period.endMs });
    published[budget.name] = { meterKey: meterKey(budget), startMs: period.startMs, definition: definitionOf(budget), spend };
  }
  await table.publishStandings({ asOfMs: nowMs, budgets: published });
  return { fold, alerts, evaluated: evaluated.map((budget) => budget.name) };
}
