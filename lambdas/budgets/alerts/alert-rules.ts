import type { BudgetGrant, BudgetStanding } from '../decision.ts';
import { standing } from '../decision.ts';
import type { Budget } from '../definition.ts';
import type { SpendSource } from '../spend.ts';

export type AlertKind = 'threshold' | 'projection' | 'spike';

/** An alert whose condition holds now; `key` names it once per (budget, period, threshold) or episode. */
export interface DueAlert {
  readonly key: string;
  readonly kind: AlertKind;
  readonly standing: BudgetStanding;
  /** The share of the limit crossed (a soft threshold, or 1 for the limit itself); null for the other kinds. */
  readonly threshold: number | null;
  /** End-of-period spend at the period's average burn rate so far. */
  readonly projected: number;
  /** For a spike: the last 5 minutes' spend and the trailing hour's average 5 minutes. */
  readonly spike: { readonly recent: number; readonly usual: number } | null;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const SPIKE_WINDOW_MS = 5 * MINUTE_MS;
/** A spike is the last 5 minutes at this many times the trailing hour's average 5 minutes: a retry loop's shape. */
export const SPIKE_FACTOR = 3;
/** No projection in a period's first hour: too little of it has passed to say where it ends. */
const PROJECTION_AFTER_MS = HOUR_MS;

/** The spend counted against the budget's limit in [startMs, endMs). */
async function usedBetween(budget: Budget, spends: SpendSource, startMs: number, endMs: number): Promise<number> {
  const spend = await spends.spend({ scope: budget.scope, tool: budget.tool, model: budget.model, startMs, endMs });
  return budget.limit.unit === 'usd' ? spend.usd : spend.tokens;
}

/** End-of-period spend if the period goes on at its average rate so far. */
export function projectedUse(entry: BudgetStanding, nowMs: number): number {
  const elapsed = Math.max(nowMs - entry.period.startMs, 1);
  return entry.used + (entry.used / elapsed) * Math.max(entry.period.endMs - nowMs, 0);
}

const key = (entry: BudgetStanding, what: string): string => `${entry.budget.name}|${entry.period.key}|${what}`;

/**
 * Projection: the limit not yet reached, but the period's average rate, the last hour's and the hour before's
 * each carry it over by the period's end. Requiring all three is what makes it sustained: a burst moves the
 * last hour alone, and a normal day's peak hours do not lift the average over a limit set with headroom.
 */
async function projectionDue(entry: BudgetStanding, spends: SpendSource, nowMs: number, projected: number): Promise<boolean> {
  if (entry.used >= entry.limit || nowMs - entry.period.startMs < PROJECTION_AFTER_MS || projected <= entry.limit) return false;
  const remaining = entry.period.endMs - nowMs;
  for (const hoursAgo of [1, 2]) {
    const windowStart = Math.max(nowMs - hoursAgo * HOUR_MS, entry.period.startMs);
    const windowEnd = nowMs - (hoursAgo - 1) * HOUR_MS;
    const rate = (await usedBetween(entry.budget, spends, windowStart, windowEnd)) / Math.max(windowEnd - windowStart, 1);
    if (entry.used + rate * remaining <= entry.limit) return false;
  }
  return true;
}

/**
 * Spike: the last 5 minutes against the average 5 minutes of the hour before them. Two guards keep ordinary
 * work out: the scope must have been spending for that hour's first half already (the first half hour of a
 * morning is not a spike against a quiet night), and the 5 minutes must be at least what spending the limit
 * evenly over the period would take, so tiny amounts never page anyone.
 */
async function spikeDue(entry: BudgetStanding, spends: SpendSource, nowMs: number): Promise<{ recent: number; usual: number } | null> {
  const recent = await usedBetween(entry.budget, spends, nowMs - SPIKE_WINDOW_MS, nowMs);
  const evenShare = (entry.limit * SPIKE_WINDOW_MS) / (entry.period.endMs - entry.period.startMs);
  if (recent < evenShare) return null;
  const trailingStart = nowMs - SPIKE_WINDOW_MS - HOUR_MS;
  if ((await usedBetween(entry.budget, spends, trailingStart, trailingStart + HOUR_MS / 2)) <= 0) return null;
  const usual = (await usedBetween(entry.budget, spends, trailingStart, nowMs - SPIKE_WINDOW_MS)) / (HOUR_MS / SPIKE_WINDOW_MS);
  return recent >= SPIKE_FACTOR * usual ? { recent, usual } : null;
}

/**
 * The alerts of a budget whose condition holds at `nowMs`. Thresholds (each soft share, then the limit) are
 * keyed per period, so each alerts once however often this runs; a projection once per period; a spike at
 * most once an hour. A grant that lifts the limit silences them.
 */
export async function dueAlerts(budget: Budget, spends: SpendSource, grants: readonly BudgetGrant[], nowMs: number): Promise<DueAlert[]> {
  const entry = await standing(budget, spends, grants, nowMs);
  if (!Number.isFinite(entry.limit)) return [];
  const projected = projectedUse(entry, nowMs);
  const due: DueAlert[] = [];
  for (const threshold of [...budget.soft, 1]) {
    if (entry.used >= threshold * entry.limit) due.push({ key: key(entry, `threshold:${threshold}`), kind: 'threshold', standing: entry, threshold, projected, spike: null });
  }
  if (await projectionDue(entry, spends, nowMs, projected)) due.push({ key: key(entry, 'projection'), kind: 'projection', standing: entry, threshold: null, projected, spike: null });
  const spike = await spikeDue(entry, spends, nowMs);
  if (spike !== null) {
    const hour = new Date(Math.floor(nowMs / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);
    due.push({ key: key(entry, `spike:${hour}`), kind: 'spike', standing: entry, threshold: null, projected, spike });
  }
  return due;
}
